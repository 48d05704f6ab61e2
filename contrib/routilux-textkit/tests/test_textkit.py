"""routilux-textkit, tested where it is installed next to routilux (tox -e textkit).

Everything here reaches the routines by their registered names, as a user of
the installed pack would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import routilux
from routilux import Flow, FlowSpecError, JobState

NAMES = [
    "textkit.case",
    "textkit.clip",
    "textkit.collect",
    "textkit.replace",
    "textkit.split",
    "textkit.stats",
]


def routilux_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``routilux`` console script (next to this interpreter)."""
    script = Path(sys.executable).with_name("routilux")
    command = [str(script)] if script.exists() else [shutil.which("routilux") or "routilux"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60, env=dict(os.environ)
    )


@pytest.fixture
def flows() -> Iterator[list[Flow]]:
    made: list[Flow] = []
    yield made
    for flow in made:
        flow.shutdown(wait=True, timeout=10)


def texts(job_state: JobState) -> list[str]:
    return [entry["data"]["text"] for entry in job_state.output_log]


# ------------------------------------------------------------------ discovery


def test_routilux_routines_lists_the_pack_with_summaries() -> None:
    result = routilux_cli("routines")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    for name in NAMES:
        assert name in lines
    assert "Clip text to at most max_len characters" in lines["textkit.clip"]


def test_routilux_routines_json_names_the_distribution_and_config() -> None:
    result = routilux_cli("routines", "--json")
    assert result.returncode == 0, result.stderr
    by_name = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert set(NAMES) <= set(by_name)
    clip = by_name["textkit.clip"]
    assert clip["distribution"] == "routilux-textkit"
    assert {"name": "max_len", "type": "int", "default": 80} in clip["config"]
    replace = {f["name"]: f for f in by_name["textkit.replace"]["config"]}
    assert replace["pattern"].get("required") is True


def test_routilux_plugins_shows_the_distribution_and_version() -> None:
    result = routilux_cli("plugins", "--json")
    assert result.returncode == 0, result.stderr
    (info,) = [p for p in json.loads(result.stdout) if p["distribution"] == "routilux-textkit"]
    assert info["version"] == "0.1.0"
    assert sorted(info["registers"]["routine"]) == NAMES
    assert info["error"] is None


def test_each_name_resolves_to_a_routine_factory_with_a_summary() -> None:
    for name in NAMES:
        factory = routilux.registry.get_routine(name)
        assert issubclass(factory, routilux.Routine)
        assert (factory.__doc__ or "").strip()


# --------------------------------------------------------------- flows by name


def test_flow_composed_by_name_in_python_runs(flows: list[Flow]) -> None:
    flow = Flow("shout")
    flows.append(flow)
    flow.add_routine("textkit.split", "split")
    flow.add_routine("textkit.case", "upper", config={"mode": "upper"})
    flow.add_routine("textkit.clip", "clip", config={"max_len": 4, "ellipsis": "~"})
    flow.add_routine("textkit.collect", "out")
    flow.connect("split", "output", "upper", "input")
    flow.connect("upper", "output", "clip", "input")
    flow.connect("clip", "output", "out", "input")

    job = flow.run("split", {"text": "hello plugin world"}, timeout=30)

    assert job.status == "completed"
    assert texts(job) == ["HEL~", "PLU~", "WOR~"]
    assert [e["data"]["clipped"] for e in job.output_log] == [True, True, True]


def test_flow_from_spec_runs_and_round_trips(flows: list[Flow]) -> None:
    spec = {
        "flow_id": "clean",
        "entry": "fix",
        "routines": {
            "fix": {
                "type": "textkit.replace",
                "config": {"pattern": r"\s+", "replacement": " "},
            },
            "stats": {"type": "textkit.stats"},
            "out": {"type": "textkit.collect", "config": {"output_type": "cleaned"}},
        },
        "connections": [
            {"from": "fix.output", "to": "stats.input"},
            {"from": "stats.output", "to": "out.input"},
        ],
    }
    flow = Flow.from_spec(spec)
    flows.append(flow)

    job = flow.run(flow.entry or "fix", {"text": "a  b\t\tc\n d"}, timeout=30)

    assert job.status == "completed"
    (output,) = job.output_log
    assert output["output_type"] == "cleaned"
    assert output["data"] == {"text": "a b c d", "chars": 7, "words": 4, "lines": 1}
    again = Flow.from_spec(flow.to_spec())
    flows.append(again)
    assert again.to_spec() == flow.to_spec()
    assert again.routines["fix"].get_config("pattern") == r"\s+"


def test_flow_from_a_toml_file(tmp_path: Path, flows: list[Flow]) -> None:
    spec = tmp_path / "words.toml"
    spec.write_text(
        'flow_id = "words"\nentry = "split"\n'
        '[routines.split]\ntype = "textkit.split"\nconfig = { separator = "," }\n'
        '[routines.out]\ntype = "textkit.collect"\n'
        '[[connections]]\nfrom = "split.output"\nto = "out.input"\n',
        encoding="utf-8",
    )
    flow = Flow.from_file(str(spec))
    flows.append(flow)
    job = flow.run("split", {"text": "a,,b,c"}, timeout=30)
    assert texts(job) == ["a", "b", "c"]
    assert [e["data"]["index"] for e in job.output_log] == [0, 1, 2]


def test_concurrent_strategy_runs_every_piece(flows: list[Flow]) -> None:
    flow = Flow("many", execution_strategy="concurrent", max_workers=3)
    flows.append(flow)
    flow.add_routine("textkit.split", "split")
    flow.add_routine("textkit.case", "title", config={"mode": "title"})
    flow.add_routine("textkit.collect", "out")
    flow.connect("split", "output", "title", "input")
    flow.connect("title", "output", "out", "input")
    words = [f"word{i}" for i in range(40)]
    job = flow.run("split", {"text": " ".join(words)}, timeout=60)
    assert job.status == "completed"
    assert sorted(texts(job)) == sorted(w.title() for w in words)


# ------------------------------------------------------------- configuration


def test_bad_config_names_the_spec_path() -> None:
    spec = {
        "routines": {
            "case": {"type": "textkit.case", "config": {"mode": "shouting"}},
            "clip": {"type": "textkit.clip", "config": {"max_len": "10"}},
            "fix": {"type": "textkit.replace", "config": {}},
            "bad": {"type": "textkit.replace", "config": {"pattern": "("}},
        }
    }
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(spec)
    paths = {path for path, _ in info.value.problems}
    assert paths == {
        "routines.case.config.mode",
        "routines.clip.config.max_len",
        "routines.fix.config.pattern",
        "routines.bad.config.pattern",
    }
    assert "shouting" in str(info.value)


def test_add_routine_with_bad_config_raises_before_running(flows: list[Flow]) -> None:
    flow = Flow()
    flows.append(flow)
    # from Python, the message names the routine and its config key (not a spec)
    with pytest.raises(
        routilux.RoutineConfigError,
        match=r"^invalid config for routine 'clip' \(textkit\.clip\): max_len: ",
    ):
        flow.add_routine("textkit.clip", "clip", config={"max_len": 0})
    assert "clip" not in flow.routines


def test_a_misspelt_name_suggests_the_pack_names() -> None:
    with pytest.raises(routilux.UnknownPluginError, match="textkit.clip"):
        routilux.registry.get_routine("textkit.clpi")


def test_non_text_input_fails_the_routine_with_a_clear_error(flows: list[Flow]) -> None:
    flow = Flow()
    flows.append(flow)
    flow.add_routine("textkit.stats", "stats")
    job = flow.run("stats", {"text": 42}, timeout=30)
    assert job.status == "failed"
    assert "needs a 'text' string" in job.get_routine_state("stats")["error"]
