"""The plugin API in process: plugins registered with pluggy for one test (routilux.testing)."""

from __future__ import annotations

import ast
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import routilux
from routilux import (
    DuplicatePluginError,
    ErrorAction,
    ErrorDecision,
    ErrorHandler,
    Flow,
    FlowSpecError,
    InvalidExecutionStrategyError,
    JobState,
    OutputHandler,
    Routine,
    UnknownPluginError,
    open_store,
    registry,
)
from routilux.testing import plugin

Register = Callable[..., Any]


@attrs.define
class ScaleConfig:
    factor: int = 2
    label: str = "scaled"


class Scale(Routine):
    """Multiply a number by the configured factor.

    More text that is not part of the summary.
    """

    config_schema = ScaleConfig

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.run)
        self.define_event("out", ["value"])

    def run(self, value: int) -> None:
        self.send_output(self.get_config("label"), value=value * self.get_config("factor"))


class Pack:
    """A plugin object registering one of each kind under the namespace ``tp``."""

    def __init__(self) -> None:
        self.executors: list[RecordingExecutor] = []
        self.stores: list[str] = []

    @routilux.hookimpl
    def routilux_routines(self) -> dict[str, Any]:
        return {"tp.scale": Scale}

    @routilux.hookimpl
    def routilux_output_handlers(self) -> dict[str, Any]:
        return {"tp.list": ListHandler}

    @routilux.hookimpl
    def routilux_error_strategies(self) -> dict[str, Any]:
        return {"tp_give_up": GiveUp}

    @routilux.hookimpl
    def routilux_executors(self) -> dict[str, Any]:
        def make(max_workers: int = 1, **options: Any) -> RecordingExecutor:
            executor = RecordingExecutor(**options)
            self.executors.append(executor)
            return executor

        return {"tp.recording": make}

    @routilux.hookimpl
    def routilux_storage_backends(self) -> dict[str, Any]:
        def make(url: str) -> Any:
            self.stores.append(url)
            return open_store("memory://")

        return {"tpstore": make}


class ListHandler(OutputHandler):
    """Collect outputs in a list."""

    def __init__(self, into: list[Any]) -> None:
        self.into = into

    def handle(
        self, job_id: str, routine_id: str, output_type: str, data: Any, timestamp: Any = None
    ) -> None:
        self.into.append((routine_id, output_type, data))


class GiveUp:
    """Skip a failed routine, saying so."""

    def __init__(self, error_handler: ErrorHandler) -> None:
        self.reason = error_handler.options.get("reason", "given up")

    def decide(self, failure: Any) -> ErrorDecision:
        return ErrorDecision(ErrorAction.SKIP, reason=f"{self.reason}: {failure.error}")


class RecordingExecutor:
    """Runs work on one thread and records which activations it ran."""

    runs_inline = False
    capacity = 1

    def __init__(self, tag: str = "") -> None:
        self.tag = tag
        self.ran: list[tuple[str, str]] = []
        self.thread: threading.Thread | None = None

    def start(self, source: Any) -> None:
        def serve() -> None:
            while (work := source.next_work()) is not None:
                self.ran.append((work.routine_id, work.slot_name))
                work.run_here()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()

    def shutdown(self, wait: bool = True) -> None:
        if wait and self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join()


class Boom(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.go)

    def go(self) -> None:
        raise RuntimeError("boom")


# ------------------------------------------------------------------ lookups


def test_each_kind_is_found_by_name_and_used(routilux_plugin: Register, make_flow: Any) -> None:
    pack = Pack()
    routilux_plugin(pack, "test-pack")
    outputs: list[Any] = []

    flow = make_flow(
        "tp",
        execution_strategy="tp.recording",
        executor_options={"tag": "x"},
        error_handler=ErrorHandler(strategy="tp_give_up", options={"reason": "meh"}),
        store="tpstore://somewhere",
    )
    flow.add_routine("tp.scale", "scale", config={"factor": 5})
    flow.add_routine(Boom(), "boom")
    job = JobState(flow_id="tp")
    job.set_output_handler(registry.get_output_handler("tp.list")(outputs))
    flow.execute("scale", {"value": 3}, job_state=job)
    assert JobState.wait_for_completion(flow, job, timeout=30)
    failing = flow.run("boom", timeout=30)

    assert job.status == "completed"
    assert outputs == [("scale", "scaled", {"value": 15})]
    assert pack.executors[0].tag == "x"
    assert pack.executors[0].ran == [("scale", "trigger"), ("boom", "trigger")]
    assert failing.status == "completed"
    assert failing.get_routine_state("boom")["status"] == "skipped"
    assert any(r.data.get("reason") == "meh: boom" for r in failing.execution_history)
    assert pack.stores == ["tpstore://somewhere"]
    assert flow.store.load(job.job_id).status == "completed"


def test_a_plugin_is_gone_when_its_block_ends() -> None:
    with plugin(Pack()):
        assert registry.get_routine("tp.scale") is Scale
    with pytest.raises(UnknownPluginError):
        registry.get_routine("tp.scale")


def test_pluggy_register_and_unregister_are_seen_at_once() -> None:
    pack = Pack()
    pm = registry.plugin_manager()
    pm.register(pack, name="direct")
    try:
        assert registry.get_executor("tp.recording") is not None
    finally:
        pm.unregister(pack)
    with pytest.raises(UnknownPluginError):
        registry.get_executor("tp.recording")


def test_config_is_validated_against_the_schema_with_defaults(
    routilux_plugin: Register, make_flow: Any
) -> None:
    routilux_plugin(Pack())
    flow = make_flow()
    flow.add_routine("tp.scale", "a")
    assert flow.routines["a"].config() == {"factor": 2, "label": "scaled"}
    with pytest.raises(FlowSpecError) as info:
        flow.add_routine("tp.scale", "b", config={"factor": "7", "colour": "red"})
    assert dict(info.value.problems) == {
        "b.config.colour": "unknown config key; known: ['factor', 'label']",
        "b.config.factor": "expected int, got str '7'",
    }
    assert flow.routines["a"].registered_name == "tp.scale"
    assert flow.to_spec()["routines"]["a"] == {
        "type": "tp.scale",
        "config": {"factor": 2, "label": "scaled"},
    }


def test_registrations_carry_summary_owner_and_schema(routilux_plugin: Register) -> None:
    routilux_plugin(Pack(), "test-pack")
    (scale,) = [r for r in registry.registrations("routine") if r.name == "tp.scale"]
    assert scale.summary == "Multiply a number by the configured factor."
    assert scale.owner == "test-pack"
    assert scale.config_schema is ScaleConfig


# ------------------------------------------------------------------ errors


def test_unknown_names_list_close_matches(routilux_plugin: Register) -> None:
    routilux_plugin(Pack())
    with pytest.raises(UnknownPluginError) as info:
        registry.get_routine("tp.scael")
    assert info.value.suggestions == ["tp.scale"]
    assert "did you mean 'tp.scale'?" in str(info.value)
    assert isinstance(info.value, routilux.RoutiluxError)
    # nothing close, but the namespace exists: its names are offered
    with pytest.raises(UnknownPluginError) as info:
        registry.get_routine("tp.completely_different")
    assert info.value.suggestions == ["tp.scale"]


def test_unknown_names_in_flows_fail_where_they_are_named(make_flow: Any) -> None:
    with pytest.raises(UnknownPluginError, match="'retry'"):
        ErrorHandler(strategy="retyr")
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(
            {
                "execution_strategy": "concurent",
                "error_handler": {"strategy": "contineu"},
                "routines": {"x": {"type": "nowhere.thing"}},
            }
        )
    paths = dict(info.value.problems)
    assert "did you mean 'concurrent'" in paths["execution_strategy"]
    assert "did you mean 'continue'" in paths["error_handler.strategy"]
    assert "unknown routine 'nowhere.thing'" in paths["routines.x.type"]
    with pytest.raises(InvalidExecutionStrategyError, match="did you mean 'threads'"):
        make_flow(execution_strategy="threadz")


def test_a_name_registered_twice_names_both_owners(routilux_plugin: Register) -> None:
    routilux_plugin(Pack(), "pack-b")
    routilux_plugin(Pack(), "pack-a")
    with pytest.raises(DuplicatePluginError) as info:
        registry.get_routine("tp.scale")
    assert info.value.owners == ["pack-a", "pack-b"]
    assert "'pack-a' and 'pack-b'" in str(info.value)
    with pytest.raises(DuplicatePluginError):
        ErrorHandler(strategy="tp_give_up")


def test_a_broken_registration_hook_does_not_hide_the_others(
    routilux_plugin: Register, caplog: pytest.LogCaptureFixture
) -> None:
    class Raises:
        @routilux.hookimpl
        def routilux_routines(self) -> dict[str, Any]:
            raise ImportError("optional dependency missing")

    class NotAMapping:
        @routilux.hookimpl
        def routilux_routines(self) -> Any:
            return ["tp.list_is_wrong"]

    class BadEntries:
        @routilux.hookimpl
        def routilux_routines(self) -> Any:
            return {"tp.not_callable": 42, "tp.fine": Scale}

    routilux_plugin(Raises(), "raises")
    routilux_plugin(NotAMapping(), "not-a-mapping")
    routilux_plugin(BadEntries(), "bad-entries")
    routilux_plugin(Pack(), "good")
    with caplog.at_level(logging.WARNING, logger="routilux.registry"):
        assert registry.get_routine("tp.scale") is Scale
        assert registry.get_routine("tp.fine") is Scale
        with pytest.raises(UnknownPluginError):
            registry.get_routine("tp.not_callable")
    text = caplog.text
    assert "raises" in text and "optional dependency missing" in text
    assert "not-a-mapping" in text and "not a mapping" in text
    assert "'tp.not_callable'" in text


# ---------------------------------------------------------------- built-ins


BUILTINS = {
    "executor": ["asyncio", "inline", "processes", "threads"],
    "error strategy": ["continue", "retry", "skip", "stop"],
    "output handler": ["callback", "jsonl", "null", "print", "queue"],
    "storage backend": ["memory"],
}


def test_builtins_are_plugins_of_the_routilux_distribution() -> None:
    for kind, names in BUILTINS.items():
        owned = {r.name: r.owner for r in registry.registrations(kind)}
        for name in names:
            assert owned[name] == "routilux", (kind, name)
    assert registry.get_executor("sequential") is registry.get_executor("inline")
    assert registry.get_executor("concurrent") is registry.get_executor("threads")


def test_the_core_never_imports_the_builtin_plugins() -> None:
    core = Path(routilux.__file__).parent
    offenders = []
    for path in core.rglob("*.py"):
        if "plugins" in path.relative_to(core).parts[:1]:
            continue  # routilux/plugins is the built-in plugins package itself
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                names = [module] + [f"{module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n.lstrip(".").startswith(("plugins", "routilux.plugins")) for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
