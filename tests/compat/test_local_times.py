"""Times a JobState shows are local and naive, as routilux 0.10 made them with
``datetime.now()`` (and the seeds' listings show); saved documents hold them in UTC."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from routilux import ExecutionRecord, Flow, JobState, Routine


class Ask(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("later", ["v"])

    def go(self) -> None:
        job = self.get_execution_context().job_state
        job.append_to_shared_log({"step": 1})
        self.send_output("said", text="hi")
        self.emit_deferred_event("later", v=1)


@pytest.fixture
def job() -> JobState:
    flow = Flow(flow_id="times")
    flow.add_routine(Ask(), "ask")
    try:
        return flow.run("ask", timeout=30)
    finally:
        flow.shutdown()


def test_every_time_a_job_shows_is_local_and_naive(job):
    before = datetime.now()
    (record,) = job.execution_history
    stamps = [
        record.timestamp,
        job.created_at,
        job.updated_at,
        datetime.fromisoformat(job.shared_log[0]["timestamp"]),
        datetime.fromisoformat(job.output_log[0]["timestamp"]),
        datetime.fromisoformat(job.deferred_events[0]["timestamp"]),
    ]
    assert all(s.tzinfo is None for s in stamps)
    assert all(abs((s - before).total_seconds()) < 60 for s in stamps)
    assert "+" not in repr(record)  # ExecutionRecord[ask.start@2026-...], no zone


def test_a_saved_job_holds_utc_and_shows_local_again(job):
    document = job.serialize()
    assert document["created_at"].endswith("+00:00")
    assert document["execution_history"][0]["timestamp"].endswith("+00:00")
    again = JobState.from_dict(document)
    assert again.created_at == job.created_at
    assert again.execution_history[0].timestamp == job.execution_history[0].timestamp


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is POSIX-only")
def test_a_job_saved_in_one_zone_reads_right_in_another(job, monkeypatch):
    """Two hosts in different zones agree on the instant (the reason documents hold UTC)."""
    document = job.serialize()
    instant = job.created_at.astimezone()  # local, made aware
    # POSIX zone strings need no tz database: UTC+9, or UTC where that is local already
    monkeypatch.setenv("TZ", "JST-9" if time.timezone == 0 else "UTC0")
    time.tzset()
    try:
        moved = JobState.from_dict(document)
        assert moved.created_at.tzinfo is None
        assert moved.created_at != job.created_at  # other wall-clock digits...
        assert moved.created_at.astimezone() == instant  # ...the same instant
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_record_serializes_as_0_10_did():
    record = ExecutionRecord("r", "out", {"x": 1}, datetime(2026, 1, 2, 12, 0))
    assert record.serialize()["timestamp"] == "2026-01-02T12:00:00"
    assert ExecutionRecord().deserialize(record.serialize()).timestamp == record.timestamp
