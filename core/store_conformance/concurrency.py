"""Concurrent writers: threads and processes saving, and checkpoints that never go back."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from typing import Any

from ..job_state import JobState
from ..records import JobStatus
from ..store import JobStore
from .base import StoreChecks
from .samples import sample_job


class ConcurrencyChecks(StoreChecks):
    """8 threads and 2 processes writing different jobs; ordered checkpoints (an older
    snapshot never replaces a newer one, also with 8 threads saving one job)."""

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
