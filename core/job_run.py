"""JobRun: the live part of one running job (its queue, in-flight count, retry timers, end).

A `Scheduler` (`routilux.scheduler`) makes one JobRun per running job and
shares its executors fairly between them; the JobRun decides, for its job
alone, what may start next (`take`), when a retry is due (`schedule_retry`) and
whether the job has now stopped (`finished_one`, `settle`). It is its own
module because it is the per-job half of the run loop: every method runs with
the job's lock held, never the scheduler's (the lock order is the scheduler's
module docstring's).
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from .activation import LocalWork
from .entry import HeldRetry
from .failures import record_over_limit
from .records import JobStatus, SlotActivation

if TYPE_CHECKING:
    from .cancellation import Cancellable
    from .flow import Flow
    from .job_state import JobState
    from .observers import Observers
    from .scheduler import Scheduler


class RunState:
    """The states of a JobRun (plain strings: compared on the hot path)."""

    RUNNING = "running"
    PAUSING = "pausing"  # no new activations; pauses when running ones finish
    FAILING = "failing"  # no new activations; fails when running ones finish
    ENDED = "ended"  # completed, failed, paused or cancelled


_RUNNING = RunState.RUNNING


class JobRun:
    """The live part of a running job: its queue and in-flight count."""

    __slots__ = (
        "scheduler",
        "flow",
        "job_state",
        "lock",
        "queue",
        "in_flight",
        "waiting",
        "limit",
        "state",
        "in_ring",
        "caller_driven",
        "reason",
        "entry_id",
        "observers",
        "checkpoint_each",
        "started",
        "max_activations",
        "base_counts",
        "cancel_watch",
        "inline_seq",
        "pause_checkpoint",
        "claim_lost",
        "claimed",
        "stopped_as",
    )

    scheduler: Scheduler
    flow: Flow
    job_state: JobState
    lock: threading.Lock
    queue: deque[SlotActivation]
    in_flight: int
    waiting: dict[int, threading.Timer | HeldRetry]
    limit: int
    state: str
    in_ring: bool
    caller_driven: bool
    reason: str
    claim_lost: bool
    claimed: bool
    stopped_as: JobStatus | None
    entry_id: str | None
    observers: Observers | None
    checkpoint_each: bool
    started: int
    max_activations: int
    base_counts: dict[str, int]
    cancel_watch: set[Cancellable] | None
    inline_seq: int | None  # the entry activation execute()'s caller runs (routilux.entry)
    pause_checkpoint: dict[str, Any] | None  # 0.10's pause(checkpoint=), kept in the point

    def __init__(
        self,
        scheduler: Scheduler,
        flow: Flow,
        job_state: JobState,
        entry_id: str | None,
        limit: int,
        caller_driven: bool,
        observers: Observers | None,
        checkpoint_each: bool,
    ) -> None:
        self.scheduler = scheduler
        self.flow = flow  # a running job keeps its flow alive
        self.job_state = job_state
        self.lock = job_state.lock
        self.queue = deque()
        self.in_flight = 0
        self.waiting = {}
        self.limit = limit
        self.state = RunState.RUNNING
        self.in_ring = False
        self.caller_driven = caller_driven
        self.reason = ""
        #: Another process took the job's claim: this run saves and releases nothing.
        self.claim_lost = False
        #: Whether the job's claim was taken for this run (its end releases it).
        self.claimed = False
        #: The end a cancel (or a lost claim) gives the job, once it stopped it (`stop_as`).
        self.stopped_as = None
        self.entry_id = entry_id
        self.observers: Observers | None = observers
        #: Whether the flow saves the job after every activation (then `limit` is 1).
        self.checkpoint_each = checkpoint_each
        #: Activations started in this run, in all and by routine (the limit).
        self.started = 0
        self.max_activations = flow.max_activations or sys.maxsize
        #: The job's activations by routine when this run started (see `counts`).
        self.base_counts = {}
        #: Running activations with `on_cancel` callbacks (cancelled if the job is).
        self.cancel_watch = None
        self.inline_seq = None
        self.pause_checkpoint = None

    # ------------------------------------------------------------- enqueueing

    def make_ready(self) -> None:
        """Let a worker (or the caller driving the run) take this run's next activation (lock held)."""
        if not self.caller_driven:
            self.scheduler.add_ready(self)
        else:
            self.job_state.notify_watchers()

    def take(self) -> LocalWork | None:
        """Start the next activation, if the job may run one now (lock held)."""
        if self.state is not RunState.RUNNING or not self.queue or self.in_flight >= self.limit:
            return None
        if self.started >= self.max_activations:
            return None  # the job fails when its running activations finish
        # `start`, inlined: this runs once per activation
        self.started += 1
        self.in_flight += 1
        work = LocalWork(self, self.queue.popleft())
        if self.in_flight < self.limit and not self.in_ring and self.queue:
            self.make_ready()
        return work

    def hand_on(self, done: SlotActivation) -> LocalWork | None:
        """Start the next activation in the place of `done`, which just succeeded (lock
        held), if the job may run it now: the worker that ran `done` goes on with it, and
        the job's in-flight count stays as it is; `done` is recorded as succeeded. None if
        it may not start (then the caller records `done`'s success, and `finished_one`
        accounts for it), or if another job waits
        in the scheduler's ring: the worker then serves it (fair between jobs). The ring
        is read without its lock: a stale answer only costs fairness, once."""
        if self.state is not _RUNNING or not self.queue:
            return None
        if self.started >= self.max_activations:
            return None  # finished_one fails the job
        ring = self.scheduler.ring
        if ring:
            try:
                if len(ring) != 1 or ring[0] is not self:
                    return None
            except IndexError:  # emptied meanwhile (read without the ring's lock)
                pass
        self.started += 1
        work = LocalWork(self, self.queue.popleft(), done)
        if self.in_flight < self.limit and not self.in_ring and self.queue:
            self.make_ready()
        return work

    def start(self, activation: SlotActivation) -> LocalWork:
        """Count `activation` as started and make its work (lock held; no limit check)."""
        self.started += 1
        self.in_flight += 1
        return LocalWork(self, activation)

    def counts(self) -> dict[str, int]:
        """Activations started in this run, by routine (lock held): the job's exact
        counts less those it had when the run started."""
        base = self.base_counts
        return {
            rid: count - base.get(rid, 0)
            for rid, count in self.job_state.activation_counts().items()
            if count > base.get(rid, 0)
        }

    # ------------------------------------------------------------ retry timers

    def schedule_retry(self, activation: SlotActivation, delay: float) -> None:
        """Re-queue `activation` after `delay` seconds (lock held)."""
        if activation.seq == self.inline_seq:  # the caller of execute() runs it itself
            self.waiting[activation.seq] = HeldRetry(activation, delay)
        elif delay <= 0:
            self.queue.appendleft(activation)
            if self.in_flight < self.limit and self.state is RunState.RUNNING:
                self.make_ready()
        else:
            timer = threading.Timer(delay, self._retry_due, (activation,))
            timer.daemon = True
            self.waiting[activation.seq] = timer
            timer.start()

    def _retry_due(self, activation: SlotActivation) -> None:
        with self.lock:
            if self.waiting.pop(activation.seq, None) is None:
                return  # paused, cancelled or failed meanwhile
            self.queue.appendleft(activation)
            if self.state is RunState.RUNNING and self.in_flight < self.limit:
                self.make_ready()
            self.job_state.notify_watchers()
            end = self.settle()
        if end is not None:
            self.scheduler.end_run(self, end)

    def stop_timers(self) -> None:
        """Cancel the timers of activations waiting to retry (lock held)."""
        for timer in self.waiting.values():
            timer.cancel()
        self.waiting.clear()

    # ----------------------------------------------------------------- ending

    def finished_one(self) -> JobStatus | None:
        """Account for a finished activation (lock held); returns an end to carry out."""
        self.in_flight -= 1
        if self.queue and self.in_flight < self.limit and self.state is RunState.RUNNING:
            if self.started < self.max_activations:
                if not self.in_ring:
                    self.make_ready()
                return None
            self._over_limit()
        return self.settle()

    def settle(self) -> JobStatus | None:
        """Decide whether the job has now stopped (lock held): the new status or None."""
        if self.in_flight:
            return None
        if self.state is RunState.RUNNING:
            if self.queue and self.started >= self.max_activations:
                self._over_limit()
                return JobStatus.FAILED
            if self.queue or self.waiting:
                return None
            # a branch parked at a pause point has not ended: idle slots wait for it
            parked = self.job_state.has_waiting_pause_points()
            if not parked and self.flow.idle_slots and self._activate_idle_slot():
                return None
            if self.job_state.has_failed_routine():
                return JobStatus.FAILED
            return JobStatus.PAUSED if parked else JobStatus.COMPLETED
        if self.state is RunState.PAUSING:
            return JobStatus.PAUSED
        if self.state is RunState.FAILING:
            return self.stopped_as or JobStatus.FAILED
        return None

    def _over_limit(self) -> None:
        """Fail the job: it started `max_activations` activations (lock held)."""
        self.reason = record_over_limit(self)
        self.state = RunState.FAILING

    def _activate_idle_slot(self) -> bool:
        """Queue the next idle slot not yet activated in this job, if any (lock held)."""
        job_state = self.job_state
        for routine_id, slot_name in self.flow.idle_slots:
            key = f"{routine_id}.{slot_name}"
            if job_state.mark_idle_activated(key):
                activation = SlotActivation(routine_id, slot_name, {})
                self.queue.append(job_state.add_pending(activation))
                if self.in_flight < self.limit and not self.in_ring:
                    self.make_ready()
                return True
        return False

    def stop_as(self, status: JobStatus, reason: str, claim_lost: bool = False) -> None:
        """Stop the job now, to end as `status` (lock held; the stopper then ends it):
        nothing new starts, and a running activation that finishes first and settles
        the job ends it as `status` too, not as failed."""
        self.reason = reason
        self.claim_lost = claim_lost
        self.stopped_as = status
        self.state = RunState.FAILING

    def fail(self, reason: str) -> JobStatus | None:
        """Fail the job once its running activations finish (lock held)."""
        return self.request_stop(RunState.FAILING, reason)

    def request_stop(self, kind: str, reason: str) -> JobStatus | None:
        """Ask the job to pause or fail (lock held); returns an end if it stops at once."""
        if self.state is RunState.RUNNING:
            self.state = kind
            self.reason = reason
        return self.settle()


__all__ = ["JobRun", "RunState"]
