"""Bounded history: a job keeps its most recent records, its counts stay exact."""

from __future__ import annotations

import json

import pytest

from routilux import Flow, FlowError, FlowSpecError, JobState, Routine
from routilux.records import DEFAULT_HISTORY_LIMIT


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, count: int = 3) -> None:
        for n in range(count):
            self.emit("item", n=n)
            self.get_execution_context().job_state.append_to_shared_log({"n": n})


class Sink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, n: int) -> None:
        if n % 4 == 3:
            raise ValueError(f"bad {n}")
        self.send_output("seen", n=n)


def items_flow(**options) -> Flow:
    from routilux import ErrorHandler

    flow = Flow(flow_id="history", **options)
    flow.add_routine(Source(), "source")
    flow.add_routine(Sink(), "sink", error_handler=ErrorHandler(strategy="continue"))
    flow.connect("source", "item", "sink", "input")
    return flow


def test_a_bounded_history_keeps_the_most_recent_records_and_exact_counts():
    flow = items_flow(history=5)
    job = flow.run("source", {"count": 20})
    flow.shutdown()
    assert job.status == "completed"
    history = job.execution_history
    assert len(history) == 5
    # the most recent are kept: the sink's five failures, after the source's 20 emits
    assert [r.event_name for r in history] == ["error"] * 5  # 0.10's downstream record
    assert job.history_total == 1 + 20 + 5  # start, emits, 5 errors
    assert job.routine_counts == {
        "source": {"activations": 1, "emits": 20, "errors": 0},
        "sink": {"activations": 20, "emits": 0, "errors": 5},
    }
    assert [e["n"] for e in job.shared_log] == list(range(15, 20))
    assert len(job.output_log) == 5


def test_history_off_keeps_no_record_but_counts_everything():
    flow = items_flow(history="off")
    job = flow.run("source", {"count": 8})
    flow.shutdown()
    assert job.execution_history == [] and job.shared_log == [] and job.output_log == []
    assert job.routine_counts["sink"] == {"activations": 8, "emits": 0, "errors": 2}


def test_full_history_keeps_past_the_default_bound():
    flow = items_flow(history="full")
    job = flow.run("source", {"count": DEFAULT_HISTORY_LIMIT + 10})
    flow.shutdown()
    assert job.history_limit is None
    assert len(job.execution_history) == job.history_total > DEFAULT_HISTORY_LIMIT


def test_a_job_under_the_bound_keeps_everything():
    flow = items_flow()
    job = flow.run("source", {"count": 4})
    flow.shutdown()
    assert [r.event_name for r in job.execution_history] == [
        "start",
        *["item"] * 4,
        "error",  # the sink fails on n=3
    ]
    assert len(job.execution_history) == job.history_total


def test_the_bound_and_counts_survive_serialization_and_resume_the_entry():
    flow = items_flow(history=4)
    job = flow.run("source", {"count": 10})
    flow.shutdown()
    again = JobState.from_dict(json.loads(json.dumps(job.serialize())))
    assert again.serialize() == job.serialize()
    assert again.history_limit == 4 and again.history_total == job.history_total
    assert again.routine_counts == job.routine_counts
    assert again.entry_routine_id == "source"  # its "start" record is long gone


def test_history_records_cannot_be_changed_through_what_readers_get():
    job = JobState()
    job.record_execution("r", "e", {"items": [1]})
    job.execution_history[0].data["items"].append(2)
    assert job.execution_history[0].data == {"items": [1]}


def test_set_history_limit_trims_to_the_most_recent():
    job = JobState()
    for n in range(10):
        job.record_execution("r", "e", {"n": n})
    job.set_history_limit(3)
    assert [r.data["n"] for r in job.execution_history] == [7, 8, 9]
    assert job.history_total == 10


@pytest.mark.parametrize("bad", [-1, "some", 2.5, True])
def test_a_bad_history_option_is_refused_naming_it(bad):
    with pytest.raises(FlowError, match="history"):
        Flow(history=bad)


def test_the_spec_key_sets_the_bound_and_round_trips():
    spec = {
        "flow_id": "h",
        "history": 7,
        "routines": {"r": {"type": "text.normalize"}},
    }
    flow = Flow.from_spec(spec)
    assert flow.history_limit == 7
    assert flow.to_spec()["history"] == 7
    assert Flow.from_spec({**spec, "history": "off"}).to_spec()["history"] == "off"
    assert "history" not in Flow.from_spec({**spec, "history": DEFAULT_HISTORY_LIMIT}).to_spec()
    with pytest.raises(FlowSpecError, match="history"):
        Flow.from_spec({**spec, "history": "lots"})
