"""Checkpoint deltas: what a store writes is what serialize() says, and only what changed."""

from __future__ import annotations

import pytest

from routilux import JobState
from routilux.checkpoint import _DOCUMENT_KEYS, checkpoint_delta
from routilux.store_conformance import sample_job


@pytest.mark.parametrize("pause", [False, True])
def test_a_full_delta_holds_what_serialize_holds(pause):
    job = sample_job(pause=pause)
    delta, _ = checkpoint_delta(job, None)
    serialized = job.serialize()
    assert delta.document == {
        "schema_version": serialized["schema_version"],
        **{key: serialized[key] for key in _DOCUMENT_KEYS},
    }
    assert delta.pending_upserts == serialized["pending_tasks"]
    assert delta.history == serialized["execution_history"]
    assert delta.full and delta.history_start == delta.history_first == 0


def test_a_delta_of_a_bounded_history_holds_the_new_kept_records():
    job = JobState(history_limit=3)
    job._pending_journal = []  # as while a store checkpoints the job each activation
    job._journal_epoch = 1
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
