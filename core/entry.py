"""The entry activation that `Flow.execute` runs in the caller's thread, as routilux 0.10 did.

`start_entry` takes a job started caller-driven (so no executor thread picks its
first activation, the entry routine's ``trigger``), hands the job to the executor
and runs that activation in this thread: everything it emits is queued for the
flow's executor meanwhile. A retry
of that activation is not queued either: `JobRun.schedule_retry` holds it
(`HeldRetry`) and the caller runs it after its delay. So when `execute` returns,
a failure of the entry handler has been handled by its error strategy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .waiting import wait_for_status

if TYPE_CHECKING:
    from .job_run import JobRun
    from .records import SlotActivation
    from .scheduler import Scheduler

#: `RunState.ENDED` and `RunState.RUNNING` (plain strings, like the scheduler's).
_ENDED = "ended"
_RUNNING = "running"


class HeldRetry:
    """A retry of the entry activation, waiting for the caller of execute() to run it."""

    __slots__ = ("activation", "delay")

    def __init__(self, activation: SlotActivation, delay: float) -> None:
        self.activation = activation
        self.delay = delay

    def cancel(self) -> None:
        """Nothing to stop: the caller finds the retry gone and returns."""


def start_entry(scheduler: Scheduler, run: JobRun) -> None:
    """Run the first activation of `run` (started caller-driven) in this thread, then
    its retries (after their delay); the rest of the job goes to the executor."""
    with run.lock:
        work = run.take()
        if work is not None:
            run.inline_seq = work.activation.seq
        run.caller_driven = False
        if run.queue and run.state == _RUNNING and not run.in_ring:
            run.make_ready()
    while work is not None:
        work.run_here()
        work = None
        with run.lock:
            seq = run.inline_seq
            held = run.waiting.get(seq) if seq is not None else None
            if not isinstance(held, HeldRetry):
                run.inline_seq = None  # the usual end: no retry held for this thread
                return
        if held.delay > 0:  # woken early only if the job ends (pause, cancel, failure)
            wait_for_status(run.job_state, lambda: run.state == _ENDED, held.delay)
        end = None
        with run.lock:
            if run.waiting.pop(held.activation.seq, None) is None:
                break  # the job ended meanwhile; the activation stays pending
            if run.state == _RUNNING and run.started < run.max_activations:
                work = run.start(held.activation)
            else:  # pausing, failing or out of activations: leave it to the scheduler
                run.inline_seq = None
                run.queue.appendleft(held.activation)
                end = run.settle()
        if end is not None:
            scheduler.end_run(run, end)
    with run.lock:
        run.inline_seq = None
