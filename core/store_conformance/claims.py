"""Claims (one owner per job) and recovery after the owner is killed."""

from __future__ import annotations

import random
import signal
import time
from datetime import datetime, timezone
from typing import Any

import pytest

from ..errors import JobClaimedError
from ..store import JobStore
from .base import StoreChecks
from .samples import claimer, same_space, sample_job, with_params


class ClaimChecks(StoreChecks):
    """Claims are exclusive, refuse saves by others, are released, shown by `list`,
    taken by exactly one of several processes, and taken over once a killed
    owner's lease ends; one trial of the crash harness."""

    def test_a_claim_is_exclusive_until_released(self, store: JobStore, open_same: Any) -> None:
        job = sample_job()
        store.save(job)
        other: Any = open_same() if self.shared_between_processes else same_space(store)
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
        procs = [claimer(store.url, job.job_id) for _ in range(3)]
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
        proc = claimer(with_params(store.url, lease="1"), job.job_id)
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
        from ..crash_harness import run_trial

        rng = random.Random(type(self).__name__)
        url = with_params(store.url, lease="0.5")
        result = run_trial(url, "concurrent", "every_activation", tmp_path, rng)
        assert result.repeated <= result.kills
