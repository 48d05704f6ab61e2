"""Checkpoint history (keep the last N, load one, fork from one) and prune."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ..errors import JobNotFoundError, StoreError
from ..job_state import JobState
from ..records import JobStatus
from ..retention import prune
from ..store import JobStore
from .base import StoreChecks
from .samples import history_flow, sample_job


class HistoryChecks(StoreChecks):
    """A job's kept checkpoints, forks from them, and `routilux.retention.prune`."""

    def test_history_keeps_the_last_n_checkpoints(self, store: JobStore) -> None:
        flow = history_flow(store, keep=3)
        job = flow.run("source", {"count": 5})
        flow.shutdown()
        kept = store.history(job.job_id)  # type: ignore[attr-defined]
        assert len(kept) == 3
        seqs = [c.seq for c in kept]
        assert seqs == list(range(seqs[0], seqs[0] + 3)) and seqs[0] > 1  # older ones dropped
        assert [c.status for c in kept][-1] == "completed"
        assert all(c.job_id == job.job_id for c in kept)
        assert [c.saved_at for c in kept] == sorted(c.saved_at for c in kept)
        assert kept[-1].routine_id in ("source", "sink")
        last = store.load_checkpoint(job.job_id, seqs[-1])  # type: ignore[attr-defined]
        assert last.serialize() == job.serialize()
        middle = store.load_checkpoint(job.job_id, seqs[0])  # type: ignore[attr-defined]
        assert middle.status == "running" and middle.pending_tasks
        with pytest.raises(JobNotFoundError) as caught:
            store.load_checkpoint(job.job_id, 1)  # type: ignore[attr-defined]
        assert f"kept: {seqs[0]}, {seqs[1]}, {seqs[2]}" in str(caught.value)

    def test_without_keep_checkpoints_no_history_is_kept(self, store: JobStore) -> None:
        flow = history_flow(store, keep=0)
        job = flow.run("source", {"count": 2})
        flow.shutdown()
        assert store.history(job.job_id) == []  # type: ignore[attr-defined]
        with pytest.raises(JobNotFoundError):
            store.history("no-such-job")  # type: ignore[attr-defined]

    def test_delete_removes_the_history_too(self, store: JobStore) -> None:
        flow = history_flow(store, keep=2)
        job = flow.run("source", {"count": 2})
        flow.shutdown()
        store.delete(job.job_id)
        with pytest.raises(JobNotFoundError):
            store.history(job.job_id)  # type: ignore[attr-defined]

    def test_fork_from_a_middle_checkpoint_ends_like_the_original(self, store: JobStore) -> None:
        flow = history_flow(store, keep=100)
        job = flow.run("source", {"count": 6})
        kept = store.history(job.job_id)  # type: ignore[attr-defined]
        middle = kept[len(kept) // 2]
        assert middle.status == "running"
        child = flow.fork(job.job_id, at=middle.seq)
        assert JobState.wait_for_completion(flow, child, timeout=60)
        flow.shutdown()
        assert child.job_id != job.job_id and child.status == "completed"
        assert child.metadata["forked_from"] == {"job_id": job.job_id, "seq": middle.seq}
        assert child.get_routine_state("sink") == job.get_routine_state("sink")
        assert child.shared_data == job.shared_data
        stored = store.load(child.job_id)
        assert stored.status == "completed"
        assert (stored.get_routine_state("sink") or {}).get("seen") == list(range(6))
        assert store.load(job.job_id).serialize() == job.serialize()  # the parent is untouched

    def _jobs_in_every_status(self, store: JobStore, flow_id: str) -> dict[str, JobState]:
        jobs = {}
        for status in ("completed", "failed", "cancelled", "paused", "running", "pending"):
            job = sample_job(flow_id, count=1, pause=status == "paused")
            if status not in ("completed", "paused"):
                job.status = JobStatus(status)
            store.save(job)
            jobs[status] = job
        return jobs

    def test_prune_deletes_old_finished_jobs_and_never_running_ones(self, store: JobStore) -> None:
        jobs = self._jobs_in_every_status(store, "prune-a")
        other = sample_job("prune-b")
        store.save(other)
        later = datetime.now(timezone.utc) + timedelta(days=2)

        # nothing is older than a day yet
        assert prune(store, older_than=timedelta(days=1), flow_id="prune-a") == []
        # a dry run lists, deletes nothing
        listed = prune(
            store, older_than=timedelta(days=1), now=later, flow_id="prune-a", dry_run=True
        )
        assert {s.job_id for s in listed} == {
            jobs[s].job_id for s in ("completed", "failed", "cancelled")
        }
        assert {s.job_id for s in store.list(flow_id="prune-a")} == {
            j.job_id for j in jobs.values()
        }
        gone = prune(store, older_than=timedelta(days=1), now=later, flow_id="prune-a")
        assert {s.job_id for s in gone} == {s.job_id for s in listed}
        left = {s.job_id: s.status for s in store.list(flow_id="prune-a")}
        assert left == {jobs[s].job_id: s for s in ("paused", "running", "pending")}
        assert store.load(other.job_id).status == "completed"  # another flow: untouched
        with pytest.raises(JobNotFoundError):
            store.load(jobs["completed"].job_id)

        paused = prune(store, statuses="paused", flow_id="prune-a")
        assert [s.job_id for s in paused] == [jobs["paused"].job_id]
        with pytest.raises(StoreError, match="never running or pending"):
            prune(store, statuses="running,completed")
        assert {s.status for s in store.list(flow_id="prune-a")} == {"running", "pending"}

    def test_prune_removes_the_kept_checkpoints(self, store: JobStore) -> None:
        flow = history_flow(store, keep=3, flow_id="prune-history")
        job = flow.run("source", {"count": 2})
        flow.shutdown()
        assert store.history(job.job_id)  # type: ignore[attr-defined]
        assert [s.job_id for s in prune(store, flow_id="prune-history")] == [job.job_id]
        with pytest.raises(JobNotFoundError):
            store.history(job.job_id)  # type: ignore[attr-defined]
