"""Cancellable: giving up on a running activation, and refusing what its handler does after.

A handler cannot be stopped by force (a thread cannot be killed), so whoever
stops waiting for it (a handler timeout, an executor terminating a process, a
cancelled job) cancels its `LocalWork` instead: from then on the handler's
writes and emits are refused under the job's lock, and the executor's
``on_cancel`` callbacks run once, so that it can stop what it can (an asyncio
task, a process). A base class of `routilux.activation.LocalWork`; its own
module because cancelling is the one part of an activation other parties
(executors, the job's end) call into while the handler runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import ExecutionContextError

if TYPE_CHECKING:
    from .job_run import JobRun
    from .records import SlotActivation

#: Logged on the activation's logger, where its other failures are logged.
log = logging.getLogger("routilux.activation")


class Cancellable:
    """The cancellation side of a `LocalWork` (see the module docstring)."""

    if not TYPE_CHECKING:  # LocalWork has __slots__
        __slots__ = ()

    # Slots of LocalWork; named here for type checkers.
    if TYPE_CHECKING:
        run: JobRun
        activation: SlotActivation
        closed: str | None
        cancel_reason: str | None
        cancel_callbacks: list[Callable[[str], object]] | None

    @property
    def cancelled(self) -> bool:
        """True once the activation timed out or was cancelled, or its job ended.

        From then on its handler's writes to the JobState and its emits are
        refused (`ExecutionContextError`, logged), so an abandoned handler can
        neither change a job that moved on nor overlap with its own retry.
        """
        return self.cancel_reason is not None or self.run.state == "ended"

    def cancel(self, reason: str) -> None:
        """Give up on this activation: refuse its handler's effects from now on.

        Called by whoever stops waiting for the handler (a timeout, an executor
        that terminates it); `reason` completes "the activation ..." in messages,
        e.g. ``"timed out after 2.0s"``. Taken under the job's lock, so an effect
        is either applied before the cancel or refused after it. The handler is
        not stopped by force: it sees ``get_execution_context().cancelled``.
        """
        with self.run.lock:
            first = self.cancel_reason is None
            if first:
                self.cancel_reason = reason
            if self.closed is None:
                self.closed = reason
            callbacks = self._take_callbacks() if first else None
        for callback in callbacks or ():
            try:
                callback(reason)
            except Exception:  # an executor's bug must not break the canceller
                log.exception("on_cancel callback of %s failed", self.activation)

    def on_cancel(self, callback: Callable[[str], object]) -> None:
        """Call ``callback(reason)`` once if this activation is cancelled before it
        finishes: by `cancel` (a timeout) or because its job was cancelled.

        For executors that can stop what runs a handler (cancel an asyncio task,
        terminate a process). Called at once if the activation already is
        cancelled; never called once it has finished.
        """
        run = self.run
        with run.lock:
            reason = self.cancel_reason
            if reason is None and run.state == "ended":
                reason = "belongs to a job that has ended"
            if reason is None:
                if self.cancel_callbacks is None:
                    self.cancel_callbacks = []
                    if run.cancel_watch is None:
                        run.cancel_watch = set()
                    run.cancel_watch.add(self)
                self.cancel_callbacks.append(callback)
                return
        callback(reason)

    def _take_callbacks(self) -> list[Callable[[str], object]] | None:
        """Unregister this activation's cancel callbacks and return them (lock held)."""
        callbacks = self.cancel_callbacks
        if callbacks is not None:
            self.cancel_callbacks = None
            if self.run.cancel_watch is not None:
                self.run.cancel_watch.discard(self)
        return callbacks

    def refuse(self, what: str) -> ExecutionContextError:
        """Log and return the error refusing `what` (an effect of a cancelled activation)."""
        reason = self.cancel_reason or "belongs to a job that has ended"
        message = (
            f"{what} refused: the activation of {self.activation.routine_id}."
            f"{self.activation.slot_name} in job {self.run.job_state.job_id} {reason}; "
            "check get_execution_context().cancelled and return"
        )
        log.warning("%s", message)
        return ExecutionContextError(message)


__all__ = ["Cancellable"]
