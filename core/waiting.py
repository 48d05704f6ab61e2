"""Waiting for a JobState to change, on its condition variable: nothing polls.

The condition is created on the first wait. `wait_for_status` serves waiters that
care about status changes (``wait_for_completion``, pause); they are woken only
when the status changes, so the emit path pays nothing for them. `wait_until_changed`
serves user predicates (``wait_until_condition``), re-checked after every change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .records import JobStatus

if TYPE_CHECKING:
    from .job_state import JobState


class JobCondition(threading.Condition):
    """A JobState's condition. Besides waking waiting threads, `notify_all` calls
    each of `callbacks` (with the job's lock held): how an async waiter
    (`JobState.wait_async`) is woken without a thread of its own."""

    def __init__(self, lock: threading.Lock) -> None:
        super().__init__(lock)
        #: Called on every notify_all; each must be quick and must not block.
        self.callbacks: list[Callable[[], None]] = []

    def notify_all(self) -> None:
        super().notify_all()
        for callback in tuple(self.callbacks):
            callback()


def wait_for_status(
    job_state: JobState, predicate: Callable[[], bool], timeout: float | None
) -> bool:
    """Wait until `predicate` (which only reads fields, under the lock) is true after a
    status change; False on timeout."""
    with job_state.lock:
        condition = job_state.add_waiter(status_only=True)
        try:
            return condition.wait_for(predicate, timeout)
        finally:
            job_state.remove_waiter(status_only=True)


def wait_until_changed(job_state: JobState, met: Callable[[], bool], timeout: float | None) -> bool:
    """Wait until `met()` (evaluated without the lock: it may read the JobState) is
    true; False on timeout, or when the job stopped running with `met()` still false."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with job_state.lock:
            seen = job_state.version
        if met():
            return True
        with job_state.lock:
            if (
                job_state.status not in (JobStatus.RUNNING, JobStatus.PENDING)
                and job_state.version == seen
            ):
                return False
            condition = job_state.add_waiter()
            try:
                while job_state.version == seen:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    condition.wait(remaining)
            finally:
                job_state.remove_waiter()
