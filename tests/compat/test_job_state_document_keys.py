"""JobState.serialize() writes routilux 0.10's keys, and each key of routilux's own only
when loading could not tell its value without it; every job loads back with every
saved field equal, but for the routine counts of a job whose history is whole, which
are left out as 0.10 programs list a finished job's keys (issue 11, item 5)."""

from __future__ import annotations

import json
from collections import deque

import pytest

from routilux import ErrorHandler, Flow, JobState, Routine
from routilux.saved_fields import saved_fields
from routilux.store_conformance import sample_job

#: What routilux 0.10's JobState.serialize() wrote.
ZERO_TEN_KEYS = {
    "_type",
    "flow_id",
    "job_id",
    "status",
    "current_routine_id",
    "routine_states",
    "execution_history",
    "pending_tasks",
    "pause_points",
    "deferred_events",
    "shared_data",
    "shared_log",
    "output_log",
    "created_at",
    "updated_at",
}


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("out", ["x"])

    def send(self, n: int = 2, log: bool = False, fail: bool = False, **_: object) -> None:
        if fail:
            raise RuntimeError("source broke")
        for i in range(n):
            if log:
                self.send_output("seen", i=i)
                ctx = self.get_execution_context()
                ctx.job_state.append_to_shared_log({"i": i})
            self.emit("out", x=i)


class Quiet(Routine):
    """Receives and emits nothing: its activations leave no history record."""

    def __init__(self, merge: str = "override") -> None:
        super().__init__()
        self.define_slot("input", handler=self.take, merge_strategy=merge)

    def take(self, **_: object) -> None:
        pass


class Gate(Routine):
    """Pauses its job with work still to do (a deferred event)."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])

    def go(self, **_: object) -> None:
        self.emit_deferred_event("out", x=1)
        ctx = self.get_execution_context()
        ctx.flow.pause(ctx.job_state, reason="later")


def saved_values(job: JobState) -> dict[str, object]:
    """Every saved field of `job` (as routilux.saved_fields declares them)."""
    values = {}
    for field in saved_fields(JobState):
        value = getattr(job, field.read)
        values[field.key] = list(value) if isinstance(value, deque) else value
    # a record's time is saved to the microsecond, as its ExecutionRecord shows it
    values["execution_history"] = [r.serialize() for r in job.execution_history]
    values["pending_tasks"] = job.pending_tasks  # activations as dicts (they compare)
    return values


def reloaded(job: JobState) -> JobState:
    return JobState.from_dict(json.loads(json.dumps(job.serialize())))


def run(flow: Flow, entry: str, **params: object) -> JobState:
    job = flow.execute(entry, params)
    assert JobState.wait_for_completion(flow, job, timeout=60)
    return job


def two_routines(make_flow, merge: str = "override", **options: object) -> Flow:
    flow = make_flow(flow_id="keys", **options)
    flow.add_routine(Source(), "src")
    flow.add_routine(Quiet(merge), "quiet")
    flow.connect("src", "out", "quiet", "input")
    return flow


def jobs(make_flow, tmp_path):
    """Jobs of many shapes, each named by what makes it differ."""
    made = {"new": JobState(), "named": JobState("named")}
    made["completed"] = run(two_routines(make_flow), "src")
    made["with logs"] = run(two_routines(make_flow), "src", n=3, log=True)
    made["append buffers"] = run(two_routines(make_flow, "append"), "src", n=3)
    made["over the history limit"] = run(two_routines(make_flow, history=2), "src", n=5, log=True)
    made["history kept whole"] = run(two_routines(make_flow, history="full"), "src")
    made["history off"] = run(two_routines(make_flow, history="off"), "src")
    stop = two_routines(make_flow, error_handler=ErrorHandler("stop"))
    made["failed"] = stop.execute("src", {"fail": True})
    stored = two_routines(make_flow, store=f"sqlite:///{tmp_path}/jobs.db")
    made["checkpointed"] = run(stored, "src", n=3)
    gate = make_flow(flow_id="gate")
    gate.add_routine(Gate(), "gate")
    gate.add_routine(Quiet(), "quiet")
    gate.connect("gate", "out", "quiet", "input")
    made["paused"] = gate.execute("gate")
    made["paused with pending work"] = sample_job(pause=True)
    made["metadata"] = run(two_routines(make_flow), "src")
    made["metadata"].update_metadata(owner="me")
    moved = made["moved entry"] = JobState("f")
    moved.current_routine_id = "elsewhere"
    made["hand-built"] = JobState(
        "f",
        entry_routine_id="a",
        idle_activated=["a.tick"],
        tracebacks={"a": "Traceback ..."},
        routine_counts={"a": [2, 1, 1]},
        checkpoint_seq=4,
        history_limit=7,
        history_total=9,
    )
    return made


def test_every_job_loads_back_with_every_saved_field(make_flow, tmp_path):
    made = jobs(make_flow, tmp_path)
    assert made["failed"].status == "failed" and made["paused"].status == "paused"
    assert made["over the history limit"].history_total > len(
        made["over the history limit"].execution_history
    )
    assert made["checkpointed"].serialize().get("checkpoint_seq", 0) > 0
    for name, job in made.items():
        again = reloaded(job)
        expected = saved_values(job)
        if job.history_total <= len(job.execution_history):  # whole: no counts written
            expected["routine_counts"] = {}
        assert saved_values(again) == expected, name
        assert again.serialize() == job.serialize(), name


def test_a_plain_job_has_0_10s_keys(make_flow):
    assert set(JobState("named").serialize()) == ZERO_TEN_KEYS
    job = JobState("f")
    job.record_execution("a", "output", {"v": 1})
    job.update_routine_state("a", {"status": "completed"})
    job.status = "completed"
    assert set(job.serialize()) == ZERO_TEN_KEYS
    # a job that ran, with its history whole: 0.10's keys too (a 0.10 program listing
    # them sees what it saw); its routine counts stay with the job and in stores
    ran = run(two_routines(make_flow), "src")
    assert ran.routine_counts["quiet"] == {"activations": 2, "emits": 0, "errors": 0}
    assert set(ran.serialize()) == ZERO_TEN_KEYS
    assert reloaded(ran).routine_counts == {}


def test_the_counts_are_written_when_the_history_limit_dropped_records(make_flow):
    job = run(two_routines(make_flow, history=2), "src", n=5)
    assert job.serialize()["routine_counts"] == {"src": [1, 5, 0], "quiet": [5, 0, 0]}
    assert reloaded(job).routine_counts == job.routine_counts


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("failed", "tracebacks"),
        ("append buffers", "slot_buffers"),
        ("metadata", "metadata"),
        ("moved entry", "entry_routine_id"),
        ("history kept whole", "history_limit"),
        ("paused with pending work", "schema_version"),
    ],
)
def test_a_key_of_routilux_is_written_when_it_says_something(make_flow, tmp_path, name, key):
    assert key in jobs(make_flow, tmp_path)[name].serialize()


def test_the_limit_and_totals_are_written_when_records_were_dropped(make_flow):
    job = run(two_routines(make_flow, history=2), "src", n=5, log=True)
    data = job.serialize()
    assert data["history_limit"] == 2 and len(data["execution_history"]) == 2
    assert data["history_total"] == job.history_total > 2
    assert data["shared_log_total"] == data["output_log_total"] == 5


def test_a_document_written_by_0_10_keeps_a_history_longer_than_the_default_limit():
    records = [
        {
            "_type": "ExecutionRecord",
            "routine_id": "a",
            "event_name": "output",
            "data": {"i": i},
            "timestamp": "2025-01-01T00:00:00",
        }
        for i in range(10_001)
    ]
    document = {**JobState("old").serialize(), "execution_history": records}
    job = JobState.from_dict(document)
    assert len(job.execution_history) == 10_001 and job.history_limit is None
    assert JobState.from_dict(JobState("old").serialize()).history_limit == 10_000


def test_pending_work_in_0_10s_form_still_loads_without_a_version():
    document = {
        **JobState("old").serialize(),
        "status": "paused",
        "pending_tasks": [{"slot_routine_id": "b", "slot_name": "input", "data": {"x": 1}}],
    }
    (task,) = JobState.from_dict(document).pending_tasks
    assert (task["routine_id"], task["slot"], task["data"]) == ("b", "input", {"x": 1})
