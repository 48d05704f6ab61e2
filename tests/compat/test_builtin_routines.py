"""routilux 0.10's built-in routines (``routilux.builtin_routines``) and
`ExecutionTracker`, as 0.10 programs use them: each routine runs in a real flow,
fed by an entry routine, and what it emits is what 0.10 emits for that input."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import pytest

import routilux
from routilux import JobState, Routine


class Feed(Routine):
    """Entry routine: emits what ``execute`` passes it."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda **data: self.emit("out", **data))
        self.define_event("out", [])


class Collect(Routine):
    """Keeps what arrives (test code: the one place an instance holds data)."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.seen: list[dict[str, Any]] = []
        self.define_slot("input", handler=self.take)

    def take(self, **data: Any) -> None:
        with self.lock:
            self.seen.append(data)


def run(
    make_flow: Any,
    routine: Routine,
    payload: dict[str, Any],
    events: tuple[str, ...] = ("output",),
    slot: str = "input",
) -> tuple[JobState, dict[str, list[dict[str, Any]]]]:
    """Run `routine` once in a flow; what each of its `events` emitted."""
    flow = make_flow()
    flow.add_routine(Feed(), "feed")
    flow.add_routine(routine, "r")
    flow.connect("feed", "out", "r", slot)
    sinks = {}
    for name in events:
        sinks[name] = Collect()
        flow.add_routine(sinks[name], f"sink_{name}")
        flow.connect("r", name, f"sink_{name}", "input")
    job = flow.execute("feed", entry_params=payload)
    JobState.wait_for_completion(flow, job, timeout=60)
    return job, {name: sink.seen for name, sink in sinks.items()}


def emitted(make_flow: Any, routine: Routine, payload: dict[str, Any], **kw: Any) -> Any:
    """The single emission on ``output``."""
    _, seen = run(make_flow, routine, payload, **kw)
    assert len(seen["output"]) == 1, seen
    return seen["output"][0]


def test_both_import_paths_give_the_same_classes():
    from routilux.builtin_routines import TextClipper
    from routilux.builtin_routines.control_flow import ConditionalRouter
    from routilux.builtin_routines.data_processing import DataTransformer, DataValidator
    from routilux.builtin_routines.text_processing import ResultExtractor, TextRenderer
    from routilux.builtin_routines.utils import DataFlattener, TimeProvider
    from routilux.execution_tracker import ExecutionTracker

    assert routilux.TextClipper is TextClipper
    assert routilux.ExecutionTracker is ExecutionTracker
    for cls in (
        ConditionalRouter, DataFlattener, DataTransformer, DataValidator,
        ResultExtractor, TextRenderer, TimeProvider,
    ):  # fmt: skip
        assert getattr(routilux, cls.__name__) is cls
        assert cls.__name__ in routilux.__all__


def test_import_routilux_stays_cheap():
    import subprocess

    code = (
        "import sys, routilux; "
        "print(any(m.startswith(('routilux.builtin_routines', 'routilux.execution_tracker'))"
        " for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


LONG = "\n".join(f"line {i} " + "x" * 20 for i in range(20))  # 20 lines of 28 chars


def test_text_clipper_keeps_short_text_and_cuts_long_text_at_a_line(make_flow):
    clipper = routilux.TextClipper()
    assert emitted(make_flow, clipper, {"text": "hello"}) == {
        "clipped_text": "hello",
        "was_clipped": False,
        "original_length": 5,
    }
    clipper.set_config(max_length=100)
    out = emitted(make_flow, clipper, {"text": LONG})
    assert out["clipped_text"] == "\n".join(LONG.split("\n")[:3]) + "\n...(省略了17行)"
    assert out["was_clipped"] is True and out["original_length"] == len(LONG)


def test_text_clipper_message_override_tracebacks_and_other_inputs(make_flow):
    clipper = routilux.TextClipper()
    clipper.set_config(max_length=60, truncation_message="[{remaining} more]")
    assert emitted(make_flow, clipper, {"text": LONG})["clipped_text"].endswith("\n[18 more]")
    # a received max_length overrides the config
    assert emitted(make_flow, clipper, {"text": LONG, "max_length": 90})["clipped_text"].endswith(
        "\n[17 more]"
    )
    tb = "Traceback (most recent call last):\n" + LONG
    assert emitted(make_flow, clipper, {"text": tb})["clipped_text"] == tb
    clipper.set_config(preserve_tracebacks=False)
    assert emitted(make_flow, clipper, {"text": tb})["was_clipped"] is True
    # any single key, a dict's text-like value, or str() of anything else
    assert emitted(make_flow, clipper, {"content": "abc"})["clipped_text"] == "abc"
    assert emitted(make_flow, clipper, {"a": 1, "b": "str"})["clipped_text"] == "str"
    assert emitted(make_flow, clipper, {"value": 12345})["clipped_text"] == "12345"


def test_text_renderer_renders_tags_or_markdown(make_flow):
    renderer = routilux.TextRenderer()
    out = emitted(make_flow, renderer, {"data": {"name": "t", "n": {"a": [1, 2]}}})
    assert out == {
        "rendered_text": "<name>t</name>\n<n>  <a>    <item_0>1</item_0>\n"
        "    <item_1>2</item_1></a></n>",
        "original_type": "dict",
    }
    renderer.set_config(tag_format="markdown")
    out = emitted(make_flow, renderer, {"data": {"a": [1, {"b": 2}]}})
    assert out["rendered_text"] == "**a**:   - 1\n  -     **b**: 2"
    assert emitted(make_flow, renderer, {"x": 3.5}) == {
        "rendered_text": "3.5",
        "original_type": "float",
    }


def test_data_flattener_joins_keys_and_reports_depth(make_flow):
    flattener = routilux.DataFlattener()
    out = emitted(make_flow, flattener, {"data": {"a": {"b": 1, "c": [2, 3]}, "d": None}})
    assert out == {
        "flattened_data": {"a.b": 1, "a.c.0": 2, "a.c.1": 3, "d": None},
        "original_type": "dict",
        "depth": 3,
    }
    flattener.set_config(separator="/", preserve_lists=False, max_depth=3)
    out = emitted(make_flow, flattener, {"data": {"a": [1, {"x": {"y": 2}}]}})
    assert out["flattened_data"] == {"a": 1, "a/x": "{'y': 2}"}
    assert emitted(make_flow, flattener, {"data": 7})["flattened_data"] == {"value": 7}


def test_data_transformer_chains_names_callables_and_reports_errors(make_flow):
    transformer = routilux.DataTransformer()
    transformer.set_config(transformations=["strip_whitespace", "nope", "uppercase"])
    assert emitted(make_flow, transformer, {"data": "  Hi "}) == {
        "transformed_data": "HI",
        "transformation_applied": ["strip_whitespace", "uppercase"],
        "errors": ["Unknown transformation: nope"],
    }

    def double(x: int) -> int:
        return x * 2

    transformer.register_transformation("inc", lambda x: x + 1)
    transformer.set_config(transformations=[double, "inc", "to_int"])
    out = emitted(make_flow, transformer, {"data": 4})
    assert out == {
        "transformed_data": 9,
        "transformation_applied": ["double", "inc", "to_int"],
        "errors": None,
    }
    out = emitted(make_flow, transformer, {"data": "x", "transformations": ["to_int"]})
    assert out["errors"] == ["Error applying to_int: invalid literal for int() with base 10: 'x'"]


def test_data_validator_emits_valid_or_invalid_with_0_10_messages(make_flow):
    validator = routilux.DataValidator()
    validator.set_config(rules={"name": "is_string", "age": "is_positive"})
    events = ("valid", "invalid")
    _, seen = run(make_flow, validator, {"data": {"name": "a", "age": 3}}, events=events)
    assert seen == {"valid": [{"validated_data": {"name": "a", "age": 3}}], "invalid": []}

    validator.set_config(required_fields=["id"])
    _, seen = run(make_flow, validator, {"data": {"name": 1, "age": -3}}, events=events)
    assert seen["invalid"] == [
        {
            "errors": [
                "Required field 'id' is missing",
                "Field 'name' failed validation",
                "Field 'age' failed validation",
            ],
            "data": {"name": 1, "age": -3},
        }
    ]
    validator.set_config(strict_mode=True)  # each pass stops at its first error
    _, seen = run(make_flow, validator, {"data": {"name": 1, "age": -3}}, events=events)
    assert seen["invalid"][0]["errors"] == [
        "Required field 'id' is missing",
        "Field 'name' failed validation",
    ]


def test_data_validator_lists_callables_and_registered_validators(make_flow):
    validator = routilux.DataValidator()
    validator.set_config(rules={"items": "is_int"})
    _, seen = run(make_flow, validator, {"data": [1, "x"]}, events=("invalid",))
    assert seen["invalid"][0]["errors"] == ["Field 'items[1]' failed validation"]
    validator.register_validator("even", lambda n: n % 2 == 0)
    validator.set_config(rules={"a": lambda v: (v > 2, "too small"), "b": "even", "c": 1 / 1})
    _, seen = run(make_flow, validator, {"data": {"a": 1, "b": 3, "c": 0}}, events=("invalid",))
    assert seen["invalid"][0]["errors"] == [
        "too small",
        "Field 'b' failed validation",
        "Invalid validator for field 'c'",
    ]


def test_result_extractor_finds_json_code_and_passes_other_data_on(make_flow):
    extractor = routilux.ResultExtractor()
    text = 'text\n```json\n{"a": 1}\n```\nmore ```json\n[1,2]\n```'
    assert emitted(make_flow, extractor, {"data": text}) == {
        "extracted_result": [1, 2],
        "format": "json",
        "metadata": {
            "extraction_method": "json_code_block",
            "block_count": 2,
            "block_index": 1,
            "extractor": "json_code_block",
            "strategy": "auto",
        },
        "confidence": pytest.approx(0.9),
        "extraction_path": ["json_code_block"],
    }
    out = emitted(make_flow, extractor, {"data": "```python\nprint(1)\n```"})
    assert (out["extracted_result"], out["format"]) == ("print(1)\n", "python")
    out = emitted(make_flow, extractor, {"data": "just text"})
    assert out["extracted_result"] == "just text" and out["confidence"] == 0.0
    assert out["metadata"] == {"extraction_method": "none", "errors": [], "original_type": "str"}
    out = emitted(make_flow, extractor, {"data": [{"format": "output", "content": "hi"}, "raw"]})
    assert (out["extracted_result"], out["format"]) == ("hi\nraw", "interpreter_output")


def test_result_extractor_all_strategy_custom_extractor_and_failure(make_flow):
    extractor = routilux.ResultExtractor()
    extractor.register_extractor(
        "custom",
        lambda d, c: (d[7:], "custom", {}) if isinstance(d, str) and d[:7] == "CUSTOM:" else None,
    )
    out = emitted(make_flow, extractor, {"data": "CUSTOM:hello"})
    assert (out["extracted_result"], out["extraction_path"]) == ("hello", ["custom"])
    extractor.set_config(strategy="all")
    out = emitted(make_flow, extractor, {"data": '```python\nx\n```\n```json\n{"a":1}\n```'})
    assert out["format"] == "multi"
    assert out["extracted_result"] == [{"a": 1}, "x\n"]
    assert out["extraction_path"] == ["json_code_block", "code_block"]
    extractor.set_config(strategy="auto", return_original_on_failure=False)
    job, seen = run(make_flow, extractor, {"data": "plain"})
    assert seen["output"] == []
    # a downstream failure without an error handler is tolerated and recorded
    assert job.status == "completed" and job.get_routine_state("r") is None
    (record,) = [r for r in job.get_execution_history("r") if r.event_name == "error"]
    error = record.data["error"]
    assert "All extractors failed" in error and "return_original_on_failure" in error


def route(make_flow: Any, router: Any, payload: dict[str, Any], events: tuple[str, ...]) -> Any:
    _, seen = run(make_flow, router, payload, events=events)
    return {name: got for name, got in seen.items() if got}


def test_conditional_router_routes_by_expression_dict_and_callable(make_flow):
    router = routilux.ConditionalRouter()
    router.add_route("high", "data.get('value', 0) > config.get('threshold', 0)")
    router.add_route("low", {"kind": "low"})
    router.add_route("any", lambda data, config: data.get("value", 0) > 0)
    router.set_config(threshold=10)
    events = ("high", "low", "any", "output")
    assert route(make_flow, router, {"data": {"value": 15}}, events) == {
        "high": [{"data": {"value": 15}, "route": "high"}]
    }
    assert route(make_flow, router, {"data": {"value": 5}}, events) == {
        "any": [{"data": {"value": 5}, "route": "any"}]
    }
    router.set_config(route_priority="all_matches")
    got = route(make_flow, router, {"data": {"value": 15, "kind": "low"}}, events)
    assert sorted(got) == ["any", "high", "low"]
    assert route(make_flow, router, {"data": {"value": -1}}, events) == {
        "output": [{"data": {"value": -1}, "route": "unmatched"}]
    }
    router.define_event("fallback", ["data", "route"])
    router.set_config(default_route="fallback")
    assert route(make_flow, router, {"data": {}}, (*events, "fallback")) == {
        "fallback": [{"data": {}, "route": "fallback"}]
    }


def test_conditional_router_expressions_fail_closed(make_flow):
    """A condition that raises, or reaches for private attributes, does not match."""
    router = routilux.ConditionalRouter()
    router.add_route("a", "data['missing']")
    router.add_route("b", "data.__class__.__subclasses__()")
    router.add_route("c", "getattr(data, '__class__')")
    router.add_route("d", lambda d: d["missing"])
    got = route(make_flow, router, {"data": {"x": 1}}, ("a", "b", "c", "d", "output"))
    assert got == {"output": [{"data": {"x": 1}, "route": "unmatched"}]}


def test_time_provider_emits_the_time_in_the_chosen_format(make_flow):
    provider = routilux.TimeProvider()
    out = emitted(make_flow, provider, {}, slot="request")
    assert sorted(out) == ["datetime", "formatted", "time_string", "timestamp"]
    assert out["time_string"][4] == "-" and "T" in out["time_string"]
    assert isinstance(out["timestamp"], float)
    provider.set_config(format="formatted")
    assert "星期" in emitted(make_flow, provider, {}, slot="request")["time_string"]
    provider.set_config(locale="en_US", include_weekday=False, custom_format="%Y")
    out = emitted(make_flow, provider, {"format": "custom"}, slot="request")
    assert out["time_string"] == out["formatted"] and len(out["formatted"]) == 4


def test_routines_serialize_with_their_config_and_come_back(make_flow):
    flow = make_flow(flow_id="f")
    clipper = routilux.TextClipper()
    clipper.set_config(max_length=5)
    flow.add_routine(clipper, "clip")
    flow.add_routine(routilux.ConditionalRouter(), "router")
    data = flow.serialize()
    again = make_flow()
    again.deserialize(data)
    assert type(again.routines["clip"]) is routilux.TextClipper
    assert again.routines["clip"].get_config("max_length") == 5


def test_execution_tracker_records_runs_events_and_figures():
    tracker = routilux.ExecutionTracker("flow-1")
    tracker.record_routine_start("a", {"x": 1})
    tracker.record_routine_end("a", "failed", error="boom")
    tracker.record_routine_start("a")
    tracker.record_routine_end("a", result=5)
    tracker.record_routine_end("unknown")  # ignored
    tracker.record_event("a", "out", "b", {"k": 1})
    first, second = tracker.routine_executions["a"]
    assert (first["status"], first["error"], first["params"]) == ("failed", "boom", {"x": 1})
    assert (second["status"], second["result"], second["params"]) == ("completed", 5, {})
    assert first["execution_time"] >= 0
    perf = tracker.get_routine_performance("a")
    assert perf is not None
    assert (perf["total_executions"], perf["completed"], perf["failed"]) == (2, 1, 1)
    assert perf["success_rate"] == 0.5
    assert tracker.get_routine_performance("unknown") is None
    flow_perf = tracker.get_flow_performance()
    assert (flow_perf["total_routines"], flow_perf["total_events"]) == (1, 1)
    data = tracker.serialize()
    assert sorted(data) == [
        "_type",
        "event_flow",
        "flow_id",
        "performance_metrics",
        "routine_executions",
    ]
    again = routilux.ExecutionTracker().deserialize(data)
    assert again.flow_id == "flow-1" and again.event_flow == tracker.event_flow


@pytest.mark.parametrize("name", ["TextClipper", "DataFlattener", "ConditionalRouter"])
def test_one_instance_serves_concurrent_jobs(make_flow, name):
    """No per-run state on the instance: parallel jobs each get their own result."""
    routine = getattr(routilux, name)()
    flow = make_flow(execution_strategy="concurrent", max_workers=4)
    flow.add_routine(Feed(), "feed")
    flow.add_routine(routine, "r")
    sink = Collect()
    flow.add_routine(sink, "sink")
    flow.connect("feed", "out", "r", "input")
    flow.connect("r", "output", "sink", "input")
    jobs = [flow.execute("feed", entry_params={"data": f"v{i}"}) for i in range(8)]
    for job in jobs:
        JobState.wait_for_completion(flow, job, timeout=60)
    assert len(sink.seen) == 8


def test_data_transformer_lists_its_built_ins_in_its_config_and_still_serializes(make_flow):
    transformer = routilux.DataTransformer()
    names = sorted(transformer.get_config("transformation_map"))
    assert names == [
        "lowercase",
        "remove_none",
        "strip_whitespace",
        "to_float",
        "to_int",
        "to_string",
        "uppercase",
    ]
    transformer.register_transformation("shout", lambda x: f"{x}!")
    assert "shout" in transformer.get_config("transformation_map")
    transformer.set_config(transformations=["uppercase", "shout"])
    assert emitted(make_flow, transformer, {"data": "hi"})["transformed_data"] == "HI!"
    plain = routilux.DataTransformer()
    flow = make_flow(flow_id="saved")
    flow.add_routine(plain, "t")
    loaded = routilux.Flow().deserialize(json.loads(json.dumps(flow.serialize())))
    rebuilt = loaded.get_routine("t")
    assert sorted(rebuilt.get_config("transformation_map")) == names
    # a map read from data names built-ins only: anything else is an unknown transformation
    rebuilt.set_config(
        transformation_map={"up": "uppercase", "evil": "os.system"},
        transformations=["up", "evil", "lowercase"],
    )
    assert emitted(make_flow, rebuilt, {"data": "Hi"}) == {
        "transformed_data": "hi",
        "transformation_applied": ["up", "lowercase"],
        "errors": ["Unknown transformation: evil"],
    }
