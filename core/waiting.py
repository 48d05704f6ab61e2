"""Waiting for a JobState to change, on its condition variable: nothing polls.

`JobWaiting`, a base class of `JobState`, holds the waiting side of a job: its
public ``wait_for_completion`` / ``wait_async`` / ``wait_until_condition`` and
the waiter bookkeeping the engine uses (`add_waiter`, `notify_all_waiters` ...).

The condition is created on the first wait. `wait_for_status` serves waiters that
care about status changes (``wait_for_completion``, pause); they are woken only
when the status changes, so the emit path pays nothing for them. `wait_until_changed`
serves user predicates (``wait_until_condition``), re-checked after every change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from .errors import strict_arguments
from .locking import retake
from .records import JobStatus

if TYPE_CHECKING:
    from .flow import Flow
    from .job_state import JobState


class JobCondition:
    """A JobState's condition variable, on the job's own lock (held by every caller).

    `threading.Condition`'s protocol cut to what routilux uses (`wait`, `wait_for`,
    `notify_all`): one is made for each job that is waited on, and the stdlib's
    costs more to make than the rest of a small job's waiting. Each waiting thread
    blocks on a lock of its own that `notify_all` releases, as the stdlib's does.
    Besides waking waiting threads, `notify_all` calls each of `callbacks` (with the
    job's lock held): how an async waiter (`JobState.wait_async`) is woken without a
    thread of its own.
    """

    __slots__ = ("_lock", "_waiters", "callbacks")

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._waiters: list[threading.Lock] = []
        #: Called on every notify_all; each must be quick and must not block.
        self.callbacks: list[Callable[[], None]] = []

    def wait(self, timeout: float | None = None) -> bool:
        """Release the job's lock until woken by `notify_all` (True) or until `timeout`
        seconds passed (False); the lock is held again when this returns. The caller
        must hold the job's lock (checked, as `threading.Condition` does)."""
        if not self._lock.locked():  # free: the caller does not hold it
            raise RuntimeError("JobCondition.wait() without holding the job's lock")
        waiter = _allocate_lock()
        waiter.acquire()
        self._waiters.append(waiter)
        self._lock.release()
        woken = False
        try:
            if timeout is None:
                woken = waiter.acquire()
            elif timeout > 0:
                woken = waiter.acquire(True, timeout)
            else:
                woken = waiter.acquire(False)
            return woken
        finally:
            interrupt: BaseException | None = None
            try:
                self._lock.acquire()
            except BaseException as error:  # interrupted while blocked: not taken
                retake(self._lock)  # held again, whatever interrupts
                interrupt = error
            if not woken:  # timed out or interrupted: no notify_all will release it now
                try:
                    self._waiters.remove(waiter)
                except ValueError:  # notify_all took it meanwhile
                    pass
            if interrupt is not None:
                raise interrupt

    def wait_for(self, predicate: Callable[[], bool], timeout: float | None = None) -> bool:
        """Wait until `predicate()` is true (checked now and after each wake-up); its
        last value, so False if `timeout` seconds passed first."""
        result = predicate()
        if timeout is None:
            while not result:
                self.wait()
                result = predicate()
            return result
        deadline = time.monotonic() + timeout
        while not result:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self.wait(remaining)
            result = predicate()
        return result

    def notify_all(self) -> None:
        """Wake every waiting thread and call the callbacks."""
        waiters = self._waiters
        if waiters:
            self._waiters = []
            for waiter in waiters:
                waiter.release()
        if self.callbacks:
            for callback in tuple(self.callbacks):
                callback()


_allocate_lock = threading.Lock


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


class JobWaiting:
    """The waiting side of a `JobState` (see the module docstring)."""

    if not TYPE_CHECKING:  # no __dict__ for JobState (mypy: the fields are declared below)
        __slots__ = ()

    if TYPE_CHECKING:  # declared by JobState
        status: JobStatus
        _status: JobStatus
        _lock: threading.Lock
        _changed: JobCondition | None
        _watchers: int
        _status_waiters: int
        _end_saving: bool
        _version: int

    def condition(self) -> JobCondition:
        """The condition waiters wait on; call with the lock held (creates it once)."""
        condition = self._changed
        if condition is None:
            condition = self._changed = JobCondition(self._lock)
        return condition

    @property
    def version(self) -> int:
        """A count of the job's changes: compare two reads (made with the lock held)
        to know whether it changed."""
        return self._version

    def notify_watchers(self) -> None:
        """Wake the waiters watching every change, if any; call with the lock held."""
        if self._watchers:
            self.condition().notify_all()

    def notify_all_waiters(self) -> None:
        """Wake every waiter, status waiters included; call with the lock held."""
        if self._watchers or self._status_waiters:
            self.condition().notify_all()

    @property
    def stopped_running(self) -> bool:
        """Whether the job stopped running and its end is carried out (with a store:
        saved), which `wait_for_completion` waits for."""
        return self.status != JobStatus.RUNNING and not self._end_saving

    def wait_stopped(self, timeout: float | None) -> bool:
        """Wait until the job `stopped_running`; False on timeout. `wait_for_status` with
        that predicate, written out: every waited job goes through it once."""
        with self._lock:
            if self._status is not JobStatus.RUNNING and not self._end_saving:
                return True
            self._status_waiters += 1
            condition = self.condition()
            try:
                deadline = None if timeout is None else time.monotonic() + timeout
                while True:
                    if deadline is None:
                        condition.wait()
                    else:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            return False
                        condition.wait(remaining)
                    if self._status is not JobStatus.RUNNING and not self._end_saving:
                        return True
            finally:
                self._status_waiters -= 1

    def hold_waiters(self) -> None:
        """Keep `wait_for_completion` waiting although the job ended, until
        `release_waiters`: its end is still being saved (call with the lock held)."""
        self._end_saving = True

    def release_waiters(self) -> None:
        """The job's end is carried out (saved): wake every waiter (lock held)."""
        self._end_saving = False
        self.notify_all_waiters()

    def add_waiter(self, status_only: bool = False) -> JobCondition:
        """Count a waiter about to wait on the returned `condition()`: one woken by every
        change, or (`status_only`) by status changes only. Pair with `remove_waiter`;
        call both with the lock held."""
        if status_only:
            self._status_waiters += 1
        else:
            self._watchers += 1
        return self.condition()

    def remove_waiter(self, status_only: bool = False) -> None:
        """Stop counting a waiter added by `add_waiter`; call with the lock held."""
        if status_only:
            self._status_waiters -= 1
        else:
            self._watchers -= 1

    @staticmethod
    @strict_arguments
    def wait_for_completion(
        flow: Flow | None,
        job_state: JobState,
        timeout: float | None = None,
        stability_checks: int = 5,
        check_interval: float = 0.1,
        stability_delay: float = 0.05,
        progress_callback: Callable[..., Any] | None = None,
    ) -> bool:
        """Block until `job_state` stops running; False if `timeout` expired first.

        A job stops running when it completes, fails, is cancelled or pauses. Its
        status is already final at that moment; this call only waits. As in
        routilux 0.10, ``progress_callback(queued, running, status)`` is called when
        the wait starts on a running job, then every 5 seconds. The other arguments
        of 0.10's polling implementation are accepted and ignored (nothing polls);
        an unknown one is a `UsageError`.
        """

        if progress_callback is None:
            return job_state.wait_stopped(timeout)

        def stopped() -> bool:
            return job_state.stopped_running

        deadline = None if timeout is None else time.monotonic() + timeout
        while not stopped():
            progress_callback(*_progress_of(flow, job_state), job_state.status.value)
            left = PROGRESS_INTERVAL if deadline is None else deadline - time.monotonic()
            if left <= 0:
                return False
            if wait_for_status(job_state, stopped, min(left, PROGRESS_INTERVAL)):
                return True
        return True

    async def wait_async(self, timeout: float | None = None) -> bool:
        """``await job_state.wait_async()``: `wait_for_completion` for async code; it
        never blocks the event loop. False if `timeout` expired first."""
        from .aio import wait_stopped

        return await wait_stopped(cast("JobState", self), timeout)  # JobWaiting is JobState's

    @staticmethod
    def wait_until_condition(
        flow: Flow | None,
        job_state: JobState,
        condition: Callable[[Any, JobState], bool],
        timeout: float | None = None,
        *_legacy: Any,
        **_legacy_kw: Any,
    ) -> bool:
        """Block until ``condition(flow, job_state)`` is true; False on timeout.

        The condition is re-checked each time the JobState changes. Returns False
        early if the job stops running while the condition is still false.
        """

        def met() -> bool:
            return bool(condition(flow, job_state))

        return wait_until_changed(job_state, met, timeout)


#: Seconds between two calls of `wait_for_completion`'s progress callback (0.10's).
PROGRESS_INTERVAL = 5.0


def _progress_of(flow: Flow | None, job_state: JobState) -> tuple[int, int]:
    """``(activations queued, activations running)`` of the job's run in `flow`."""
    run = flow.live_run(job_state.job_id) if flow is not None else None
    if run is None:
        return 0, 0
    with run.lock:
        return len(run.queue), run.in_flight
