"""The conformance suite every job store must pass (pytest).

Subclass `StoreConformance` in your store's tests and give it a ``store``
fixture (a fresh, empty store) and an ``open_same`` fixture (a function that
opens a second store on the same data, e.g. ``lambda: open_store(url)``)::

    class TestMyStore(StoreConformance):
        @pytest.fixture
        def store(self, tmp_path):
            with MyStore(f"mine://{tmp_path}") as store:
                yield store

The checks: save/load round trip equality (of ``serialize()``), list filters
and order, overwrite, delete, incremental checkpoints, a bounded history, 8 threads writing
different jobs, and 2 processes writing different jobs; ordered checkpoints (an
older snapshot never replaces a newer one, also with 8 threads saving one job);
claims (exclusive, refused saves by others, released, shown by `list`, taken by
exactly one of several processes, taken over once a killed owner's lease ends);
``list(limit=...)``; unknown URL parameters; one trial of the crash harness
(`routilux.crash_harness`: SIGKILLs at random points, resumed from another process);
checkpoint history (keep the last N, load one, fork from one) and prune.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime, timezone
from typing import Any, ClassVar

import pytest

from .errors import JobClaimedError, JobNotFoundError, StoreError
from .flow import Flow
from .job_state import JobState
from .records import JobStatus
from .routine import Routine
from .store import JobStore, open_store


class _Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["n"])

    def send(self, count: int = 3, pause: bool = False) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        for n in range(count):
            self.emit("item", n=n)
        ctx.job_state.update_shared_data("sent", count)
        ctx.job_state.append_to_shared_log({"sent": count})
        self.send_output("progress", sent=count)
        if pause:
            self.emit_deferred_event("item", n=-1)
            ctx.flow.pause(ctx.job_state, reason="conformance")


class _Sink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take, merge_strategy="append")

    def take(self, n: list[int]) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        ctx.job_state.update_routine_state(ctx.routine_id, {"seen": n})


def history_flow(store: JobStore, keep: int, flow_id: str = "history") -> Flow:
    """A source -> sink flow that checkpoints every activation and keeps `keep` of them."""
    flow = Flow(flow_id=flow_id, store=store, checkpoint="every_activation", keep_checkpoints=keep)
    flow.add_routine(_Source(), "source")
    flow.add_routine(_Sink(), "sink")
    flow.connect("source", "item", "sink", "input")
    return flow


def sample_job(flow_id: str = "conformance", count: int = 3, pause: bool = False) -> JobState:
    """A real JobState with history, routine states, shared data, logs, outputs and,
    when `pause`, pending activations and deferred events."""
    flow = Flow(flow_id=flow_id)
    flow.add_routine(_Source(), "source")
    flow.add_routine(_Sink(), "sink")
    flow.connect("source", "item", "sink", "input")
    job = flow.run("source", {"count": count, "pause": pause})
    job.update_metadata(owner="conformance")
    flow.shutdown()
    return job


class StoreConformance:
    """Checks every JobStore must pass. Subclasses provide ``store`` and ``open_same``."""

    #: Whether a second process sees the jobs (False for in-process stores).
    shared_between_processes: ClassVar[bool] = True

    @pytest.fixture
    def open_same(self, store: JobStore) -> Any:
        from .store import open_store

        return lambda: open_store(store.url)

    def test_round_trip_is_lossless(self, store: JobStore) -> None:
        for job in (sample_job(), sample_job(pause=True)):
            store.save(job)
            assert store.load(job.job_id).serialize() == job.serialize()

    def test_load_of_unknown_job_raises_job_not_found(self, store: JobStore) -> None:
        with pytest.raises(JobNotFoundError) as caught:
            store.load("no-such-job")
        assert "no-such-job" in str(caught.value)

    def test_overwrite_keeps_the_last_save(self, store: JobStore) -> None:
        job = sample_job()
        store.save(job)
        job.update_shared_data("later", [1, 2, 3])
        job.record_execution("source", "note", {"after": True})
        store.save(job)
        loaded = store.load(job.job_id)
        assert loaded.get_shared_data("later") == [1, 2, 3]
        assert loaded.serialize() == job.serialize()

    def test_list_filters_by_flow_and_status_newest_first(self, store: JobStore) -> None:
        done_a = sample_job("flow-a")
        paused_a = sample_job("flow-a", pause=True)
        done_b = sample_job("flow-b")
        for job in (done_a, paused_a, done_b):
            store.save(job)
        done_b.update_metadata(touched=True)  # now the most recently updated
        store.save(done_b)
        assert store.list()[0].job_id == done_b.job_id
        assert {s.job_id for s in store.list()} >= {done_a.job_id, paused_a.job_id, done_b.job_id}
        assert {s.job_id for s in store.list(flow_id="flow-a")} == {done_a.job_id, paused_a.job_id}
        assert [s.job_id for s in store.list(flow_id="flow-a", status=JobStatus.PAUSED.value)] == [
            paused_a.job_id
        ]
        assert len(store.list(limit=2)) == 2
        summary = store.list(flow_id="flow-b")[0]
        assert (summary.flow_id, summary.status) == ("flow-b", JobStatus.COMPLETED)

    def test_delete_removes_the_job(self, store: JobStore) -> None:
        job = sample_job()
        store.save(job)
        store.delete(job.job_id)
        assert job.job_id not in {s.job_id for s in store.list()}
        with pytest.raises(JobNotFoundError):
            store.load(job.job_id)
        with pytest.raises(JobNotFoundError):
            store.delete(job.job_id)

    def test_checkpoint_after_every_activation(self, store: JobStore) -> None:
        flow = Flow(flow_id="every-activation", store=store, checkpoint="every_activation")
        flow.add_routine(_Source(), "source")
        flow.add_routine(_Sink(), "sink")
        flow.connect("source", "item", "sink", "input")
        written_before = getattr(store, "stats", {}).get("history_rows_written", 0)
        job = flow.run("source", {"count": 60})
        flow.shutdown()
        assert job.status == JobStatus.COMPLETED
        assert store.load(job.job_id).serialize() == job.serialize()
        if getattr(store, "incremental", False):
            # 60 saves, yet each history record was written once: no save rewrote the history
            written = store.stats["history_rows_written"] - written_before  # type: ignore[attr-defined]
            assert written == len(job.execution_history)

    def test_a_bounded_history_is_stored_as_the_job_keeps_it(self, store: JobStore) -> None:
        flow = Flow(flow_id="bounded", store=store, checkpoint="every_activation", history=5)
        flow.add_routine(_Source(), "source")
        flow.add_routine(_Sink(), "sink")
        flow.connect("source", "item", "sink", "input")
        job = flow.run("source", {"count": 40})
        flow.shutdown()
        loaded = store.load(job.job_id)
        assert len(loaded.execution_history) == 5
        assert loaded.history_total == job.history_total > 40
        assert loaded.serialize() == job.serialize()

    def test_eight_threads_writing_different_jobs(self, store: JobStore) -> None:
        jobs = [sample_job(f"thread-{i}", count=5) for i in range(8)]
        errors: list[BaseException] = []

        def write(job: JobState) -> None:
            try:
                for n in range(10):
                    job.update_shared_data("n", n)
                    store.save(job)
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        for job in jobs:
            assert store.load(job.job_id).serialize() == job.serialize()

    def test_two_processes_writing_different_jobs(self, store: JobStore) -> None:
        script = textwrap.dedent(
            """
            import sys
            from routilux import open_store
            from routilux.store_conformance import sample_job
            store = open_store(sys.argv[1])
            for n in range(5):
                job = sample_job(sys.argv[2], count=n + 1)
                store.save(job)
                print(job.job_id)
            store.close()
            """
        )
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", script, store.url, f"process-{i}"],
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(2)
        ]
        ids = []
        for proc in procs:
            out, _ = proc.communicate(timeout=120)
            assert proc.returncode == 0
            ids.extend(out.split())
        assert len(ids) == 10
        listed = {s.job_id for s in store.list()}
        if self.shared_between_processes:
            assert set(ids) <= listed
            for job_id in ids:
                assert store.load(job_id).status == JobStatus.COMPLETED
        else:  # an in-process store: another process's jobs never show up here
            assert not set(ids) & listed

    # ------------------------------------------------------ checkpoint history

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

    # ------------------------------------------------------------------ prune

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
        from datetime import datetime, timedelta, timezone

        from .retention import prune

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
        from .errors import StoreError

        with pytest.raises(StoreError, match="never running or pending"):
            prune(store, statuses="running,completed")
        assert {s.status for s in store.list(flow_id="prune-a")} == {"running", "pending"}

    def test_prune_removes_the_kept_checkpoints(self, store: JobStore) -> None:
        from .retention import prune

        flow = history_flow(store, keep=3, flow_id="prune-history")
        job = flow.run("source", {"count": 2})
        flow.shutdown()
        assert store.history(job.job_id)  # type: ignore[attr-defined]
        assert [s.job_id for s in prune(store, flow_id="prune-history")] == [job.job_id]
        with pytest.raises(JobNotFoundError):
            store.history(job.job_id)  # type: ignore[attr-defined]

    # ------------------------------------------------------ ordered checkpoints

    def test_an_older_snapshot_never_replaces_a_newer_one(self, store: JobStore) -> None:
        job = sample_job()
        job.update_shared_data("n", 1)
        older = JobState.from_dict(job.serialize())  # a snapshot of the job as it was
        job.update_shared_data("n", 2)
        store.save(job)
        store.save(older)  # lands last, yet is older: dropped
        assert store.load(job.job_id).get_shared_data("n") == 2
        job.update_shared_data("n", 3)
        store.save(job)
        assert store.load(job.job_id).get_shared_data("n") == 3

    def test_concurrent_savers_cannot_regress_a_job(self, store: JobStore, open_same: Any) -> None:
        """8 threads (half through a second store on the same data) bump a counter of
        one job and save it; a reader never sees the stored counter go down, and the
        store ends with the last state."""
        job = sample_job(count=2)
        store.save(job)
        other = open_same() if self.shared_between_processes else store
        lock = threading.Lock()
        counter = [0]
        errors: list[BaseException] = []
        done = threading.Event()
        seen: list[int] = []

        def write(target: JobStore) -> None:
            try:
                for _ in range(15):
                    with lock:
                        counter[0] += 1
                        job.update_shared_data("counter", counter[0])
                    target.save(job)
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        def read() -> None:
            while not done.is_set():
                seen.append(store.load(job.job_id).get_shared_data("counter", 0))

        reader = threading.Thread(target=read)
        reader.start()
        writers = [
            threading.Thread(target=write, args=(store if i % 2 else other,)) for i in range(8)
        ]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        done.set()
        reader.join()
        if other is not store:
            other.close()
        assert errors == []
        assert seen == sorted(seen), "a reader saw the stored job go backwards"
        final = store.load(job.job_id)
        assert final.get_shared_data("counter") == counter[0] == 120
        assert final.serialize() == job.serialize()

    # ------------------------------------------------------------------ claims

    def test_a_claim_is_exclusive_until_released(self, store: JobStore, open_same: Any) -> None:
        job = sample_job()
        store.save(job)
        other: Any = open_same() if self.shared_between_processes else _same_space(store)
        try:
            store.claim(job.job_id)  # type: ignore[attr-defined]
            with pytest.raises(JobClaimedError) as caught:
                other.claim(job.job_id)
            owner = store.owner  # type: ignore[attr-defined]
            assert caught.value.owner == owner and owner in str(caught.value)
            assert caught.value.lease_until > datetime.now(timezone.utc)
            with pytest.raises(JobClaimedError):
                other.save(job)  # a non-owner's save is refused while the lease runs
            store.save(job)  # the owner's is not
            [summary] = [s for s in other.list() if s.job_id == job.job_id]
            assert summary.owner == owner and summary.lease_until is not None
            store.release(job.job_id)  # type: ignore[attr-defined]
            other.claim(job.job_id)
            other.save(job)
            other.release(job.job_id)
            [summary] = [s for s in store.list() if s.job_id == job.job_id]
            assert summary.owner is None
        finally:
            if other is not store:
                other.close()

    def test_one_of_several_processes_gets_the_claim(self, store: JobStore) -> None:
        if not self.shared_between_processes:
            pytest.skip("an in-process store")
        job = sample_job()
        store.save(job)
        procs = [_claimer(store.url, job.job_id) for _ in range(3)]
        outcomes = [proc.stdout.readline().split() for proc in procs]  # type: ignore[union-attr]
        try:
            won = [o for o in outcomes if o[0] == "won"]
            lost = [o for o in outcomes if o[0] == "lost"]
            assert len(won) == 1 and len(lost) == 2, outcomes
            assert all(o[1] == won[0][1] for o in lost), "the losers name the winner"
            with pytest.raises(JobClaimedError, match=won[0][1]):
                store.claim(job.job_id)  # type: ignore[attr-defined]
        finally:
            for proc in procs:
                proc.communicate(timeout=120)  # closes stdin: the winner releases, exits
        store.claim(job.job_id)  # type: ignore[attr-defined]
        store.release(job.job_id)  # type: ignore[attr-defined]

    def test_a_killed_owners_claim_is_taken_over_when_its_lease_ends(self, store: JobStore) -> None:
        if not self.shared_between_processes:
            pytest.skip("an in-process store")
        job = sample_job()
        store.save(job)
        proc = _claimer(with_params(store.url, lease="1"), job.job_id)
        outcome = proc.stdout.readline().split()  # type: ignore[union-attr]
        assert outcome[0] == "won", outcome
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        for _ in range(50):
            try:
                store.claim(job.job_id)  # type: ignore[attr-defined]
                break
            except JobClaimedError as exc:
                assert exc.owner == outcome[1]  # the dead owner, until its lease ends
                remaining = (exc.lease_until - datetime.now(timezone.utc)).total_seconds()
                time.sleep(max(remaining, 0) + 0.05)  # a lease is time: wait for its end
        else:
            pytest.fail("the dead owner's claim was never taken over")
        store.save(job)
        store.release(job.job_id)  # type: ignore[attr-defined]

    def test_sigkill_then_resume_from_another_process(self, store: JobStore, tmp_path: Any) -> None:
        """One trial of `routilux.crash_harness`: every_activation, concurrent, up to 2
        SIGKILLs; no wrong result, no regressed checkpoint, <= 1 repeat per kill."""
        if not self.shared_between_processes:
            pytest.skip("an in-process store")
        from .crash_harness import run_trial

        rng = random.Random(type(self).__name__)
        url = with_params(store.url, lease="0.5")
        result = run_trial(url, "concurrent", "every_activation", tmp_path, rng)
        assert result.repeated <= result.kills

    # ------------------------------------------------------------ list and URL

    def test_list_limit_is_the_same_on_every_store(self, store: JobStore) -> None:
        for flow_id in ("limit-a", "limit-b", "limit-c"):
            store.save(sample_job(flow_id))
        assert len(store.list(limit=2)) == 2
        assert store.list(limit=0) == []
        assert len(store.list(limit=None)) >= 3
        for bad in (-1, -5, 1.5, "2"):
            with pytest.raises(StoreError, match="limit"):
                store.list(limit=bad)  # type: ignore[arg-type]

    def test_unknown_url_parameters_are_an_error(self, store: JobStore) -> None:
        url = with_params(store.url, synchronus="OFF")
        with pytest.raises(StoreError) as caught:
            opened = open_store(url)
            opened.close()
        message = str(caught.value)
        assert "synchronus" in message and "lease" in message
        with pytest.raises(StoreError, match="lease"):
            open_store(with_params(store.url, lease="soon")).close()


def with_params(url: str, **params: str) -> str:
    """`url` with query parameters added."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _same_space(store: JobStore) -> JobStore:
    """A second store on the same data in this process (same URL)."""
    return open_store(store.url)


_CLAIMER = textwrap.dedent(
    """
    import sys
    from routilux import JobClaimedError, open_store
    store = open_store(sys.argv[1])
    try:
        store.claim(sys.argv[2])
        print("won", store.owner, flush=True)
    except JobClaimedError as exc:
        print("lost", exc.owner, flush=True)
    sys.stdin.read()  # hold the claim until the test closes stdin (or kills us)
    store.close()
    """
)


def _claimer(url: str, job_id: str) -> subprocess.Popen[str]:
    """A process that tries to claim `job_id` and prints ``won OWNER`` or ``lost HOLDER``."""
    return subprocess.Popen(
        [sys.executable, "-c", _CLAIMER, url, job_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
