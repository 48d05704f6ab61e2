"""The records in ``job_state.serialize()["execution_history"]`` carry 0.10's
``"_type": "ExecutionRecord"``, as `ExecutionRecord.serialize()` does; both forms,
with the label and without (what earlier saves hold), load back."""

from __future__ import annotations

import json

import pytest

from routilux import JobState, Routine
from routilux.errors import SerializationError


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])

    def go(self) -> None:
        self.emit("out", x=1)


def test_each_serialized_record_is_labelled_and_loads_back(make_flow):
    flow = make_flow(flow_id="labels")
    flow.add_routine(Source(), "src")
    job = flow.run("src")
    data = json.loads(json.dumps(job.serialize()))
    records = data["execution_history"]
    assert [r["_type"] for r in records] == ["ExecutionRecord"] * len(records) != []
    assert all(sorted(r) == sorted(job.execution_history[0].serialize()) for r in records)
    loaded = JobState()
    loaded.deserialize(data)
    assert [(r.routine_id, r.event_name, r.data) for r in loaded.execution_history] == [
        ("src", "start", {}),
        ("src", "out", {"x": 1}),
    ]
    for record in records:  # a save made before the label
        del record["_type"]
    assert len(JobState().deserialize(data).execution_history) == 2


def test_a_record_labelled_as_something_else_is_refused(make_flow):
    flow = make_flow(flow_id="labels")
    flow.add_routine(Source(), "src")
    data = json.loads(json.dumps(flow.run("src").serialize()))
    data["execution_history"][0]["_type"] = "os.system"
    with pytest.raises(SerializationError, match="execution_history"):
        JobState().deserialize(data)
