"""serialize()/deserialize() with routilux 0.10's keys (issue 11, item 5), and nothing
named by data is imported or run."""

from __future__ import annotations

import json
import sys

import pytest

from routilux import (
    ErrorHandler,
    ExecutionRecord,
    Flow,
    FlowSpecError,
    JobState,
    Routine,
)


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("output", ["data"])

    def send(self, items=("a", "b"), **_: object) -> None:
        for item in items:
            self.emit("output", data=item)


class Collect(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take, merge_strategy="append")

    def take(self, **merged: object) -> None:
        self.send_output("collected", data=merged["data"])


def collected(job: JobState) -> list:
    return [o["data"]["data"] for o in job.output_log]


def test_error_handler_keys_and_round_trip():
    handler = ErrorHandler(
        "retry", max_retries=4, retry_delay=0.5, retry_backoff=3.0, is_critical=True
    )
    data = handler.serialize()
    assert data == {
        "_type": "ErrorHandler",
        "strategy": "retry",
        "max_retries": 4,
        "retry_delay": 0.5,
        "retry_backoff": 3.0,
        "retry_count": 0,
        "is_critical": True,
    }
    again = ErrorHandler().deserialize(json.loads(json.dumps(data)))
    assert (again.strategy_name, again.max_retries, again.is_critical) == ("retry", 4, True)
    assert again.policy is not handler.policy  # a policy of its own strategy


def test_routine_keys_round_trip_config_handlers_and_none():
    source = Source()
    source.set_config(limit=3, label=None, nested={"a": [1, 2]})
    source.set_error_handler(ErrorHandler("continue"))
    data = source.serialize()
    assert sorted(data) == ["_config", "_error_handler", "_events", "_id", "_slots", "_type"]
    assert data["_type"] == "Source"
    assert data["_slots"]["trigger"]["handler"]["method_name"] == "send"
    assert data["_events"]["output"] == {
        "_type": "Event",
        "name": "output",
        "output_params": ["data"],
    }
    rebuilt = Source().deserialize(json.loads(json.dumps(data)))
    assert rebuilt.config() == {"limit": 3, "label": None, "nested": {"a": [1, 2]}}
    assert rebuilt.get_error_handler().strategy_name == "continue"


def test_flow_keys_and_a_rebuilt_flow_runs(make_flow):
    flow = make_flow(flow_id="keys", execution_strategy="concurrent", max_workers=3)
    flow.add_routine(Source(), "source")
    collect = Collect()
    collect.set_error_handler(ErrorHandler("retry", max_retries=2, is_critical=True))
    flow.add_routine(collect, "collect")
    flow.connect("source", "output", "collect", "input", param_mapping={"data": "data"})
    data = json.loads(json.dumps(flow.serialize()))
    assert sorted(data) == [
        "_paused",
        "_type",
        "connections",
        "error_handler",
        "execution_strategy",
        "flow_id",
        "max_workers",
        "routines",
    ]
    assert data["connections"] == [  # 0.10's keys: the names find the routines
        {
            "_type": "Connection",
            "_source_event_name": "output",
            "_target_slot_name": "input",
            "param_mapping": {"data": "data"},
        }
    ]

    rebuilt = make_flow()
    rebuilt.deserialize(data)
    assert (rebuilt.flow_id, rebuilt.execution_strategy, rebuilt.max_workers) == (
        "keys",
        "concurrent",
        3,
    )
    assert rebuilt.routines["collect"].get_error_handler().is_critical is True
    job = rebuilt.execute("source", {"items": ["x", "y"]})
    assert JobState.wait_for_completion(rebuilt, job, timeout=30)
    assert job.status == "completed" and collected(job) == [["x"], ["x", "y"]]


def test_connections_name_routines_only_where_names_are_shared(make_flow):
    flow = make_flow(flow_id="shared-names")
    for routine_id in ("first", "second"):  # both have an "output" event
        flow.add_routine(Source(), routine_id)
    for routine_id in ("collect_a", "collect_b"):  # both have an "input" slot
        flow.add_routine(Collect(), routine_id)
    flow.connect("second", "output", "collect_b", "input")
    flow.connect("first", "output", "collect_a", "input")
    data = json.loads(json.dumps(flow.serialize()))
    # the first routine with that event or slot is found by its name alone
    assert data["connections"][0]["_source_routine_id"] == "second"
    assert data["connections"][0]["_target_routine_id"] == "collect_b"
    assert "_source_routine_id" not in data["connections"][1]
    assert "_target_routine_id" not in data["connections"][1]

    rebuilt = make_flow().deserialize(data)
    pairs = [(c.source_routine_id, c.target_routine_id) for c in rebuilt.connections]
    assert pairs == [("second", "collect_b"), ("first", "collect_a")]
    job = rebuilt.execute("second", {"items": ["z"]})
    assert JobState.wait_for_completion(rebuilt, job, timeout=30)
    assert collected(job) == [["z"]] and job.output_log[0]["routine_id"] == "collect_b"


def test_plain_routine_instances_are_rebuilt_with_the_callers_functions(make_flow):
    plain = Routine()
    plain.define_slot("trigger", handler=module_level_handler)
    plain.define_event("out", ["x"])
    flow = make_flow(flow_id="plain")
    flow.add_routine(plain, "plain")
    data = flow.serialize()
    assert data["routines"]["plain"]["_type"] == "Routine"
    rebuilt = make_flow().deserialize(data)
    routine = rebuilt.routines["plain"]
    assert type(routine) is Routine
    assert routine.get_slot("trigger").handler is module_level_handler
    assert routine.get_event("out").output_params == ["x"]


def module_level_handler(**data: object) -> None:
    """A handler defined in this module (what a 0.10 script defines in __main__)."""


def test_data_cannot_pick_code_outside_the_callers_own_definitions():
    data = Routine().serialize()
    data["_slots"] = {
        "trigger": {
            "_type": "Slot",
            "name": "trigger",
            "handler": {
                "_type": "callable",
                "callable_type": "function",
                "module": "os",
                "name": "system",
            },
            "merge_strategy": "override",
            "_data": {},
        },
        "other": {
            "_type": "Slot",
            "name": "other",
            "handler": {
                "_type": "callable",
                "callable_type": "method",
                "method_name": "set_config",
            },
            "merge_strategy": "override",
            "_data": {},
        },
    }
    routine = Routine().deserialize(data)
    assert routine.get_slot("trigger").handler is None  # not a function of this module
    assert routine.get_slot("other").handler is None  # not the routine's own method


def test_unknown_classes_are_not_imported():
    data = {
        "_type": "Flow",
        "flow_id": "x",
        "routines": {"r": {"_type": "NoSuchRoutineClass", "_config": {}}},
        "connections": [],
    }
    before = set(sys.modules)
    with pytest.raises(FlowSpecError, match=r"routines\.r\._type: no Routine subclass named"):
        Flow().deserialize(data)
    assert set(sys.modules) == before


def test_job_state_and_record_keys(make_flow):
    flow = make_flow(flow_id="job-keys")
    flow.add_routine(Source(), "source")
    job = flow.run("source")
    data = job.serialize()
    assert data["_type"] == "JobState"
    assert JobState().deserialize(json.loads(json.dumps(data))).job_id == job.job_id
    record = job.execution_history[0]
    record_data = record.serialize()
    assert sorted(record_data) == ["_type", "data", "event_name", "routine_id", "timestamp"]
    again = ExecutionRecord().deserialize(record_data)
    assert (again.routine_id, again.event_name, again.timestamp) == (
        record.routine_id,
        record.event_name,
        record.timestamp,
    )


def test_routines_registered_with_serilux_as_0_10_required_round_trip(make_flow):
    """0.10 programs decorate their routines with serilux's register_serializable (0.10
    could not rebuild them otherwise): serilux is installed with routilux, and the
    decorated classes are rebuilt like any other."""
    from serilux import register_serializable

    @register_serializable
    class Greeter(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.greet)

        def greet(self, name="world"):
            self.send_output("greeting", text=f"{self.get_config('greeting')}, {name}")

    greeter = Greeter()
    greeter.set_config(greeting="hello")
    flow = make_flow(flow_id="greet")
    flow.add_routine(greeter, "greet")
    again = make_flow()
    again.deserialize(json.loads(json.dumps(flow.serialize())))
    job = again.run("greet", {"name": "there"})
    assert [o["data"]["text"] for o in job.output_log] == ["hello, there"]
