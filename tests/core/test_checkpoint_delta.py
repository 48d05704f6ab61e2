"""Checkpoint deltas: what a store writes is what serialize() says, and only what changed."""

from __future__ import annotations

import json

import pytest

from routilux import JobState, SlotActivation
from routilux.checkpoint import _DOCUMENT_KEYS, checkpoint_delta
from routilux.serialization import unstructure_job_state
from routilux.store_conformance import sample_job


@pytest.mark.parametrize("pause", [False, True])
def test_a_full_delta_holds_what_serialize_holds(pause):
    job = sample_job(pause=pause)
    delta, _ = checkpoint_delta(job, None)
    serialized = unstructure_job_state(job, full=True)
    assert delta.document == {
        "schema_version": serialized["schema_version"],
        **{key: serialized[key] for key in _DOCUMENT_KEYS},
    }
    assert delta.pending_upserts == serialized["pending_tasks"]
    # store rows leave out the records' "_type" label that serialize() writes
    labelled = [{"_type": "ExecutionRecord", **row} for row in delta.history]
    assert labelled == serialized["execution_history"]
    assert delta.full and delta.history_start == delta.history_first == 0


def test_a_delta_of_a_bounded_history_holds_the_new_kept_records():
    job = JobState(history_limit=3)
    with job.lock:  # as while a store checkpoints the job each activation
        job.start_pending_journal(1)
    for n in range(2):
        job.record_execution("r", "e", {"n": n})
    _, mark = checkpoint_delta(job, None)
    for n in range(2, 7):  # 5 new records, of which the job keeps 3
        job.record_execution("r", "e", {"n": n})
    delta, mark = checkpoint_delta(job, mark)
    assert not delta.full
    assert [row["data"]["n"] for row in delta.history] == [4, 5, 6]
    assert delta.history_start == delta.history_first == 4
    job.record_execution("r", "e", {"n": 7})
    delta, _ = checkpoint_delta(job, mark)
    assert [row["data"]["n"] for row in delta.history] == [7]
    assert (delta.history_start, delta.history_first) == (7, 5)


def test_changes_since_a_mark_are_the_pending_activations_added_and_removed():
    job = JobState()
    with job.lock:
        job.start_pending_journal(1)
        a = job.add_pending(SlotActivation("r", "s", {"n": 1}))
        b = job.add_pending(SlotActivation("r", "s", {"n": 2}))
    first, first_mark = job.changes_since(None, {})
    assert first.full and [t["seq"] for t in first.pending_upserts] == [a.seq, b.seq]
    with job.lock:
        job.drop_pending(a)
        c = job.add_pending(SlotActivation("r", "s", {"n": 3}))
    changes, mark = job.changes_since(first_mark, {"schema_version": 9})
    assert not changes.full
    assert [(t["seq"], t["data"]) for t in changes.pending_upserts] == [(c.seq, {"n": 3})]
    assert changes.pending_deletes == [a.seq]
    # each read is numbered: the job's checkpoint sequence, carried by the mark
    assert changes.seq == mark.seq == first_mark.seq + 1 == job.checkpoint_seq
    assert json.loads(changes.document_json)["schema_version"] == 9
    # nothing changed since: nothing to write but the document
    again, _ = job.changes_since(mark, {})
    parts = (again.history, again.shared_log, again.output_log)
    assert (again.pending_upserts, again.pending_deletes, parts) == ([], [], ([], [], []))


def test_a_mark_from_another_journal_gets_everything():
    job = JobState()
    with job.lock:
        job.start_pending_journal(1)
        job.add_pending(SlotActivation("r", "s", {"n": 1}))
    _, mark = job.changes_since(None, {})
    job.deserialize(job.serialize())  # new content: the store's mark no longer describes it
    with job.lock:
        job.start_pending_journal(2)
    changes, _ = job.changes_since(mark, {})
    assert changes.full and [t["data"] for t in changes.pending_upserts] == [{"n": 1}]


def test_the_document_writes_created_at_in_utc():
    # whatever zone the JobState shows it in (local and naive by default, as in 0.10),
    # so that a job saved on one host reads right on another
    from datetime import datetime, timedelta, timezone

    utc = datetime(2026, 1, 2, 12, 0, tzinfo=timezone.utc)
    plus_one = utc.astimezone(timezone(timedelta(hours=1)))
    local = utc.astimezone().replace(tzinfo=None)
    for created in (utc, plus_one, local, utc):
        delta, _ = checkpoint_delta(JobState(created_at=created), None)
        assert delta.document["created_at"] == "2026-01-02T12:00:00+00:00"
        assert delta.created_at == "2026-01-02T12:00:00+00:00"
    assert JobState(created_at=plus_one).serialize()["created_at"] == "2026-01-02T12:00:00+00:00"


def test_each_document_holds_its_own_stamp_and_the_job_as_it_is_then():
    # a checkpoint fills the dict of the job's previous one again: nothing of an
    # earlier stamp or of earlier values may stay in the next document
    job = JobState()
    first = job.changes_since(None, {"schema_version": 9, "extra": 1})[0].document
    job.update_shared_data("k", "v")
    later = job.changes_since(None, {})[0].document
    assert first["schema_version"] == 9 and first["extra"] == 1
    assert "schema_version" not in later and "extra" not in later
    assert (
        later["shared_data"] == {"k": "v"}
        and later["checkpoint_seq"] == first["checkpoint_seq"] + 1
    )
    # keys in the order serialize() writes them, whatever was filled before
    assert list(later) == list(_DOCUMENT_KEYS)


def test_a_replaced_created_at_is_written_by_the_next_checkpoint():
    from datetime import datetime, timezone

    job = JobState(created_at=datetime(2026, 1, 2, 12, 0, tzinfo=timezone.utc))
    assert job.changes_since(None, {})[0].document["created_at"].startswith("2026-01-02")
    job.created_at = datetime(2025, 3, 4, 5, 6, tzinfo=timezone.utc)
    changes, _ = job.changes_since(None, {})
    assert changes.document["created_at"] == "2025-03-04T05:06:00+00:00"
    assert changes.created_at == "2025-03-04T05:06:00+00:00"
