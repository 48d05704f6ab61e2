"""Plugin loading: entry points in a virtualenv where plugins are really pip-installed, and
the checks every registration goes through (in process, with pluggy's own ``register``).

A session fixture builds routilux and the throwaway distributions of
`plugin_dists` into wheels, installs them all into a fresh virtualenv, and each
test runs a script there in a subprocess (a fresh interpreter, so nothing is
loaded before the script asks for it) that prints JSON for the test to check.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from plugin_dists import write_distributions

import routilux
from routilux import InvalidPluginError, Routine, registry
from routilux.hookspecs import PLUGIN_API_VERSION

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "core", "plugins")


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _can_build_without_isolation() -> bool:
    if importlib.util.find_spec("setuptools") is None:
        return False
    from importlib.metadata import version

    return int(version("setuptools").split(".")[0]) >= 68


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtualenv holding routilux and every throwaway plugin."""
    root = tmp_path_factory.mktemp("plugins")
    source = root / "routilux"  # a clean copy: no stale build/ from earlier builds
    source.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.exists():
            shutil.copy2(path, source / name)
    dists = write_distributions(root / "dists")
    wheels = root / "wheels"
    isolation = ["--no-build-isolation"] if _can_build_without_isolation() else []
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", *isolation, "-w", str(wheels), str(source), *map(str, dists)])
    _run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")])
    python = root / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    _run([*pip, "--python", str(python), "install", "--quiet", *map(str, wheels.glob("*.whl"))])
    return python


def run_script(python: Path, tmp_path: Path, code: str, **env: str) -> tuple[dict[str, Any], str]:
    """Run `code` in the virtualenv; returns the JSON it printed last, and its stderr."""
    script = tmp_path / "check.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environ.setdefault("SIDEFX_MARKER", str(tmp_path / "sidefx-imported"))
    environ.setdefault("WATCH_LOG", str(tmp_path / "watch.log"))
    environ.update(env)
    result = subprocess.run(
        [str(python), str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
        cwd=tmp_path,
    )
    assert result.returncode == 0, f"script failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def cli(python: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The virtualenv's ``routilux`` console script."""
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environ["SIDEFX_MARKER"] = str(tmp_path / "sidefx-imported")
    return subprocess.run(
        [str(python.with_name("routilux")), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
    )


# --------------------------------------------------------- found and used


@pytest.mark.slow
def test_each_kind_of_plugin_is_found_by_name_and_used(venv: Path, tmp_path: Path) -> None:
    out, _ = run_script(
        venv,
        tmp_path,
        """
        import json, os
        import acme_pack
        from routilux import ErrorHandler, Flow, JobState, registry

        factories = {
            "routine": registry.get_routine("acme.square"),
            "output handler": registry.get_output_handler("acme.lines"),
            "error strategy": registry.get_error_strategy("circuit_breaker"),
            "executor": registry.get_executor("acme.serial"),
        }
        flow = Flow(
            "acme",
            execution_strategy="acme.serial",
            error_handler=ErrorHandler(strategy="circuit_breaker", options={"threshold": 2}),
        )
        flow.add_routine("acme.square", "cube", config={"power": 3})
        flow.add_routine("acme.square", "square")
        flow.connect("cube", "result", "square", "input")

        statuses = []
        for value in (2, -1, -2):
            job = JobState(flow_id="acme")
            job.set_output_handler(registry.get_output_handler("acme.lines")("outputs.jsonl"))
            flow.execute("cube", {"value": value}, job_state=job)
            JobState.wait_for_completion(flow, job, timeout=30)
            reasons = [r.data.get("reason") for r in job.execution_history if "reason" in r.data]
            statuses.append([job.status, reasons])
        flow.shutdown()
        print(json.dumps({
            "factories": {k: f.__module__ + "." + f.__qualname__ for k, f in factories.items()},
            "statuses": statuses,
            "outputs": [json.loads(line) for line in open("outputs.jsonl")],
            "activations": acme_pack.ACTIVATIONS,
        }))
        """,
    )
    assert out["factories"] == {
        "routine": "acme_pack.Square",
        "output handler": "acme_pack.LinesOutputHandler",
        "error strategy": "acme_pack.CircuitBreaker",
        "executor": "acme_pack.CountingExecutor",
    }
    # the routine and the output handler: 2**3 then 8**2, written by acme.lines
    assert out["outputs"] == [["cube", "square", {"value": 8}], ["square", "square", {"value": 64}]]
    # the error strategy: the first failure is let through, the second opens the circuit
    assert out["statuses"] == [
        ["completed", []],
        ["completed", ["failure 1 of 2"]],
        ["failed", ["circuit open after 2"]],
    ]
    # the executor ran every activation
    assert out["activations"] == [
        ["cube", "trigger"],
        ["square", "input"],
        ["cube", "trigger"],
        ["cube", "trigger"],
    ]


@pytest.mark.slow
def test_a_flow_spec_names_plugins_of_every_kind(venv: Path, tmp_path: Path) -> None:
    out, _ = run_script(
        venv,
        tmp_path,
        """
        import json
        import acme_pack
        from routilux import Flow

        flow = Flow.from_spec({
            "flow_id": "spec",
            "execution_strategy": "acme.serial",
            "error_handler": {"strategy": "circuit_breaker", "options": {"threshold": 9}},
            "routines": {"sq": {"type": "acme.square", "config": {"power": 4}}},
            "entry": "sq",
        })
        job = flow.run("sq", {"value": -3}, timeout=30)
        ok = flow.run("sq", {"value": 3}, timeout=30)
        flow.shutdown()
        print(json.dumps({
            "statuses": [job.status, ok.status],
            "state": job.get_routine_state("sq")["status"],
            "output": ok.output_log[0]["data"],
            "ran": len(acme_pack.ACTIVATIONS),
            "spec": flow.to_spec()["routines"],
        }))
        """,
    )
    assert out["statuses"] == ["completed", "completed"]
    assert out["state"] == "error_continued"  # circuit_breaker let the failure through
    assert out["output"] == {"value": 81}
    assert out["ran"] == 2
    assert out["spec"] == {"sq": {"type": "acme.square", "config": {"power": 4}}}


@pytest.mark.slow
def test_cli_lists_installed_distributions_and_routines(venv: Path, tmp_path: Path) -> None:
    plugins = cli(venv, tmp_path, "plugins", "--json")
    assert plugins.returncode == 0, plugins.stderr
    infos = json.loads(plugins.stdout)
    by_dist = {p["distribution"]: p for p in infos if p["distribution"] != "routilux"}
    builtin_kinds = {k for p in infos if p["distribution"] == "routilux" for k in p["registers"]}
    acme = by_dist["acme-pack"]
    assert acme["version"] == "1.2.3"
    assert acme["registers"] == {
        "routine": ["acme.square"],
        "output handler": ["acme.lines"],
        "error strategy": ["circuit_breaker"],
        "executor": ["acme.serial"],
    }
    assert sorted(acme["entry_points"]) == ["acme", "circuit_breaker"]
    assert by_dist["watch-pack"]["registers"]["observer"] == [
        "routilux_job_finished",
        "routilux_job_started",
        "routilux_routine_finished",
    ]
    assert "RuntimeError: broken-pack needs a licence key" in by_dist["broken-pack"]["error"]
    assert builtin_kinds == {
        "executor",
        "error strategy",
        "output handler",
        "storage backend",
        "routine",
        "command",  # routilux serve
    }

    text = cli(venv, tmp_path, "plugins")
    assert text.returncode == 0
    assert "acme-pack 1.2.3" in text.stdout
    assert "FAILED TO LOAD" in text.stdout

    routines = cli(venv, tmp_path, "routines")
    assert routines.returncode == 0, routines.stderr
    lines = {line.split()[0]: line for line in routines.stdout.splitlines()}
    assert "Raise a number to a configured power." in lines["acme.square"]
    assert "sidefx.noop" in lines
    assert "REGISTERED TWICE (dup-one and dup-two)" in lines["dup.thing"]


# --------------------------------------------------------------- errors


@pytest.mark.slow
def test_unknown_names_suggest_the_closest_registered_ones(venv: Path, tmp_path: Path) -> None:
    out, _ = run_script(
        venv,
        tmp_path,
        """
        import json
        from routilux import Flow, FlowSpecError, UnknownPluginError, registry

        messages = {}
        for kind, lookup, name in [
            ("routine", registry.get_routine, "acme.sqare"),
            ("executor", registry.get_executor, "acme.serail"),
            ("strategy", registry.get_error_strategy, "circuit_braker"),
            ("handler", registry.get_output_handler, "acme.line"),
            ("store", registry.get_storage_backend, "memroy"),
            ("nothing close", registry.get_routine, "zzz.qqq"),
        ]:
            try:
                lookup(name)
            except UnknownPluginError as exc:
                messages[kind] = [str(exc), exc.suggestions]
        try:
            Flow.from_spec({"routines": {"a": {"type": "acme.squared"}}})
        except FlowSpecError as exc:
            messages["spec"] = [str(exc), [p for p, _ in exc.problems]]
        print(json.dumps(messages))
        """,
    )
    assert out["routine"][1] == ["acme.square"]
    assert "unknown routine 'acme.sqare'; did you mean 'acme.square'?" in out["routine"][0]
    assert out["executor"][1] == ["acme.serial"]
    assert out["strategy"][1] == ["circuit_breaker"]
    assert out["handler"][1] == ["acme.lines"]
    assert out["store"][1] == ["memory"]
    assert out["nothing close"][1] == []
    assert "routilux plugins" in out["nothing close"][0]
    # it might have come from the plugin that could not be imported: say so
    assert "'broken' (broken-pack)" in out["nothing close"][0]
    assert out["spec"][1] == ["routines.a.type"]
    assert "did you mean 'acme.square'" in out["spec"][0]


@pytest.mark.slow
def test_a_name_registered_by_two_distributions_names_both(venv: Path, tmp_path: Path) -> None:
    out, _ = run_script(
        venv,
        tmp_path,
        """
        import json
        from routilux import DuplicatePluginError, Flow, FlowSpecError, registry

        try:
            registry.get_routine("dup.thing")
        except DuplicatePluginError as exc:
            result = {"message": str(exc), "owners": sorted(exc.owners)}
        try:
            Flow.from_spec({"routines": {"t": {"type": "dup.thing"}}})
        except FlowSpecError as exc:
            result["spec"] = str(exc)
        result["other"] = registry.get_routine("acme.square").__name__
        print(json.dumps(result))
        """,
    )
    assert out["owners"] == ["dup-one", "dup-two"]
    assert "routine 'dup.thing' is registered by more than one plugin" in out["message"]
    assert "'dup-one'" in out["message"] and "'dup-two'" in out["message"]
    assert "routines.t" in out["spec"] and "dup-two" in out["spec"]
    assert out["other"] == "Square"


@pytest.mark.slow
def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_work(
    venv: Path, tmp_path: Path
) -> None:
    out, stderr = run_script(
        venv,
        tmp_path,
        """
        import json, logging
        logging.basicConfig(level=logging.WARNING)
        from routilux import Flow, PluginLoadError, UnknownPluginError, registry

        try:
            registry.get_routine("broken.anything")
        except UnknownPluginError as exc:
            message = str(exc)
        failed = [p for p in registry.list_plugins() if p.distribution == "broken-pack"]
        flow = Flow()
        flow.add_routine("acme.square", "sq")
        job = flow.run("sq", {"value": 7}, timeout=30)
        print(json.dumps({
            "message": message,
            "failed": [[p.name, p.distribution, p.error] for p in failed],
            "status": job.status,
            "output": job.output_log[0]["data"],
        }))
        """,
    )
    assert "distribution 'broken-pack'" in out["message"]
    assert "RuntimeError: broken-pack needs a licence key" in out["message"]
    ((name, distribution, error),) = out["failed"]
    assert (name, distribution) == ("broken", "broken-pack")
    assert "RuntimeError: broken-pack needs a licence key" in error
    assert "broken-pack" in stderr  # logged once, as a warning
    assert out["status"] == "completed"
    assert out["output"] == {"value": 49}


@pytest.mark.slow
def test_plugins_breaking_the_plugin_api_are_refused_naming_their_distribution(
    venv: Path, tmp_path: Path
) -> None:
    out, stderr = run_script(
        venv,
        tmp_path,
        """
        import json, logging
        logging.basicConfig(level=logging.WARNING)
        from routilux import Flow, Routine, UnknownPluginError, registry

        class Quick(Routine):
            def __init__(self):
                super().__init__()
                self.define_slot("trigger", lambda: None)

        flow = Flow()
        flow.add_routine(Quick(), "q")
        job = flow.run("q", timeout=30)  # loads the observer plugins, typo-pack among them
        try:
            registry.get_routine("future.thing")
        except UnknownPluginError as exc:
            message = str(exc)
        failed = {p.distribution: p.error for p in registry.list_plugins() if p.error}
        print(json.dumps({"status": job.status, "message": message, "failed": failed}))
        """,
    )
    assert out["status"] == "completed"  # typo-pack's hook was never called
    typo = out["failed"]["typo-pack"]
    assert "plugin 'observers.typo' from distribution 'typo-pack' failed to load" in typo
    assert "unknown hook 'routilux_job_startd'; did you mean 'routilux_job_started'?" in typo
    assert "typo-pack" in stderr and "routilux_job_startd" in stderr
    future = out["failed"]["future-pack"]
    assert "plugin 'future' from distribution 'future-pack' failed to load" in future
    assert (
        f"needs routilux plugin API version 99, but this routilux serves version {PLUGIN_API_VERSION}"
        in future
    )
    assert "future-pack" in out["message"] and "plugin API version 99" in out["message"]


# --------------------------------------------------------------- laziness


@pytest.mark.slow
def test_a_lookup_imports_only_the_plugins_of_its_namespace(venv: Path, tmp_path: Path) -> None:
    out, _ = run_script(
        venv,
        tmp_path,
        """
        import json, os, sys
        import routilux
        after_import = sorted(m for m in sys.modules if m.startswith(("pluggy", "acme_pack", "sidefx_pack")))
        from routilux import Flow, registry

        registry.get_routine("acme.square")
        flow = Flow()  # sequential: the built-in `inline` executor, found by name too
        flow.add_routine("acme.square", "sq")
        flow.run("sq", {"value": 2}, timeout=30)
        plugin_modules = ("acme_pack", "sidefx_pack", "dup_one", "dup_two", "broken_pack",
                          "routilux.plugins.executors", "routilux.plugins.output_handlers")
        imported = sorted(m for m in plugin_modules if m in sys.modules)
        marked_before = os.path.exists(os.environ["SIDEFX_MARKER"])
        registry.list_plugins()  # listing imports everything: the mark must now appear
        marked_after = os.path.exists(os.environ["SIDEFX_MARKER"])
        print(json.dumps({
            "after_import": after_import,
            "imported": imported,
            "marked": [marked_before, marked_after],
        }))
        """,
    )
    assert out["after_import"] == []
    assert out["imported"] == ["acme_pack", "routilux.plugins.executors"]
    assert out["marked"] == [False, True]


@pytest.mark.slow
def test_observer_plugins_load_when_the_first_job_starts(venv: Path, tmp_path: Path) -> None:
    out, _ = run_script(
        venv,
        tmp_path,
        """
        import json, os, sys
        from routilux import Flow, Routine

        class Fail(Routine):
            def __init__(self):
                super().__init__()
                self.define_slot("trigger", self.go)

            def go(self):
                raise KeyError("nope")

        loaded_before = "watch_pack" in sys.modules
        flow = Flow()
        flow.add_routine(Fail(), "f")
        job = flow.run("f", timeout=30)
        log = [json.loads(line) for line in open(os.environ["WATCH_LOG"])]
        print(json.dumps({"before": loaded_before, "log": log, "job": job.job_id}))
        """,
    )
    assert out["before"] is False
    job = out["job"]
    assert out["log"] == [
        ["job_started", job],
        ["routine_finished", "f", "trigger", "'nope'"],
        ["job_finished", job, "failed"],
    ]


# ------------------------------------------------- checks on every register


class _Thing(Routine):
    """A routine for the in-process plugins below."""


class _Typo:
    @routilux.hookimpl
    def routilux_job_startd(self, job_state: Any) -> None:
        raise AssertionError("never called")


def _is_registered(name: str) -> bool:
    return registry.plugin_manager().has_plugin(name)


def test_a_misspelled_hook_is_refused_naming_the_plugin_and_the_hook() -> None:
    with pytest.raises(InvalidPluginError) as caught:
        registry.plugin_manager().register(_Typo(), name="typo")
    message = str(caught.value)
    assert "plugin 'typo' implements unknown hook 'routilux_job_startd'" in message
    assert "did you mean 'routilux_job_started'?" in message
    assert not _is_registered("typo")
    registry.plugin_manager().check_pending()  # nothing of it was left behind


def test_an_optional_hook_for_a_later_routilux_is_accepted(routilux_plugin: Any) -> None:
    class Later:
        @routilux.hookimpl(optionalhook=True)
        def routilux_job_paused(self, job_state: Any) -> None: ...

        @routilux.hookimpl
        def routilux_routines(self) -> dict[str, Any]:
            return {"later.thing": _Thing}

    routilux_plugin(Later(), "later")
    assert registry.get_routine("later.thing") is _Thing


@pytest.mark.parametrize("marker", [{"wrapper": True}, {"hookwrapper": True}])
def test_hook_wrappers_are_refused(marker: dict[str, bool]) -> None:
    class Wrapping:
        @routilux.hookimpl(**marker)
        def routilux_routines(self) -> Any:
            return (yield)

    with pytest.raises(InvalidPluginError, match="'routilux_routines' as a hook wrapper"):
        registry.plugin_manager().register(Wrapping(), name="wrapping")
    assert not _is_registered("wrapping")


def test_an_implementation_not_matching_its_spec_is_a_routilux_error() -> None:
    class Extra:
        @routilux.hookimpl
        def routilux_job_started(self, job_state: Any, colour: str) -> None: ...

    with pytest.raises(InvalidPluginError, match="plugin 'extra' does not match"):
        registry.plugin_manager().register(Extra(), name="extra")


@pytest.mark.parametrize(
    "wanted, message",
    [
        (PLUGIN_API_VERSION + 1, f"needs routilux plugin API version {PLUGIN_API_VERSION + 1}"),
        (0, "was written for routilux plugin API version 0, which this routilux no longer"),
        ("1", "ROUTILUX_PLUGIN_API must be an int"),
    ],
)
def test_a_plugin_api_version_not_served_is_refused(wanted: Any, message: str) -> None:
    class Versioned:
        ROUTILUX_PLUGIN_API = wanted

        @routilux.hookimpl
        def routilux_routines(self) -> dict[str, Any]:
            return {"versioned.thing": _Thing}

    with pytest.raises(InvalidPluginError, match=message):
        registry.plugin_manager().register(Versioned(), name="versioned")
    assert not _is_registered("versioned")


def test_a_plugin_needing_the_current_api_version_is_registered(routilux_plugin: Any) -> None:
    class Current:
        ROUTILUX_PLUGIN_API = PLUGIN_API_VERSION

        @routilux.hookimpl
        def routilux_routines(self) -> dict[str, Any]:
            return {"current.thing": _Thing}

    routilux_plugin(Current(), "current")
    assert registry.get_routine("current.thing") is _Thing


def test_a_routine_summary_reads_as_plain_text(routilux_plugin: Any) -> None:
    """`routilux routines` and the serve API show the docstring's first line; reST's
    ``literal`` markup would show its doubled backticks in a terminal."""

    class Emitter(Routine):
        """Emit ``output`` with ``items``: the received values.

        More detail that is not part of the summary.
        """

    class Pack:
        @routilux.hookimpl
        def routilux_routines(self) -> dict[str, Any]:
            return {"summary.emitter": Emitter}

    routilux_plugin(Pack(), "summary")
    [registration] = [r for r in registry.registrations("routine") if r.name == "summary.emitter"]
    assert registration.summary == "Emit `output` with `items`: the received values."
