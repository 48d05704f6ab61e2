"""JobCondition: the condition variable a JobState's waiters wait on, on the job's lock."""

from __future__ import annotations

import threading

import pytest

from routilux import JobState
from routilux.waiting import JobCondition


def test_waiting_without_holding_the_job_lock_is_refused_and_leaves_no_waiter():
    job = JobState()
    condition = JobCondition(job.lock)
    with pytest.raises(RuntimeError, match="without holding"):
        condition.wait(0.01)
    woken = []
    with job.lock:
        condition.callbacks.append(lambda: woken.append(True))
        condition.notify_all()  # nothing left over from the refused wait to release
    assert woken == [True]


def test_a_waiter_is_woken_by_notify_all_and_a_timeout_returns_false():
    lock = threading.Lock()
    condition = JobCondition(lock)
    flag: list[bool] = []
    with lock:
        assert condition.wait(0.01) is False  # nobody notifies: times out, lock held again
        assert not lock.acquire(False)

    def set_flag() -> None:
        with lock:
            flag.append(True)
            condition.notify_all()

    with lock:
        threading.Thread(target=set_flag).start()
        assert condition.wait_for(lambda: bool(flag), timeout=60) is True
