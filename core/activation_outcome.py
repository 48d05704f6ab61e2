"""What the end of one slot activation does to its job: `ActivationOutcome`.

A `LocalWork` (`routilux.activation`) calls its handler; this half records how it
ended: a success, or a failure and its error strategy's decision (`routilux.failures`),
then the per-activation checkpoint, the observers' ``routine_finished`` and the job's
in-flight count, which may end the job. Its own module because it is the other half of
an activation's life, and the one every error strategy, store and observer meets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cancellation import Cancellable
from .error_handling import ErrorAction
from .failures import apply_decision, decide, log_failure, traceback_text
from .jobs import checkpoint

if TYPE_CHECKING:
    from .records import JobStatus


class ActivationOutcome(Cancellable):
    """The outcome half of a `LocalWork` (see the module docstring); its slots are
    LocalWork's, named for type checkers by `Cancellable`."""

    if not TYPE_CHECKING:  # LocalWork has __slots__
        __slots__ = ()

    def _finish(self, error: BaseException | None) -> None:
        """Record the outcome of the handler call (`error`: what it raised, or None)."""
        run = self.run
        if error is None and run.observers is None:
            if run.checkpoint_each:
                self._succeeded_and_saved()
            else:
                self._succeeded()
            return
        activation = self.activation
        job_state = run.job_state
        routine_id = activation.routine_id
        attempt = activation.attempt  # a retry decision below counts the next one
        decision = None if error is None else decide(run, activation, error)
        trace = "" if error is None else traceback_text(error)
        end: JobStatus | None = None
        # With a per-activation checkpoint or observers, the activation stays in flight
        # until they are done: the job cannot end (and its waiters wake) before the
        # checkpoint holds this activation or an observer has heard of its finish.
        later = run.checkpoint_each or run.observers is not None
        # ... and a retry is queued only then: observers hear of this attempt's finish
        # before another worker can start the next attempt
        retry_later = later and decision is not None and decision.action is ErrorAction.RETRY
        with run.lock:
            if self.cancel_callbacks is not None:
                self._take_callbacks()  # finished: nothing left to cancel
            ended = run.state == "ended"  # cancelled while the handler ran
            if ended:
                run.in_flight -= 1
                end = None
            else:
                if error is None:
                    job_state.activation_succeeded(activation, run.entry_id)
                else:
                    assert decision is not None
                    apply_decision(run, activation, error, decision, trace, not retry_later)
                    job_state.touch()
                if not later:
                    end = run.finished_one()
        # Save while this activation still holds the job's only slot: the next activation
        # cannot start, so the checkpoint holds no part of it. A save refused because
        # another process took the job stops the run here, at once.
        if run.checkpoint_each and not ended and self._save():
            # the job's only running activation is this one, finishing: nothing to cancel
            run.scheduler.lose_claim(run, stop_running=False)
        if error is not None and not ended:
            assert decision is not None
            log_failure(run, activation, error, decision, trace)
        if run.observers is not None:  # also after a cancel: every start gets its finish
            run.observers.routine_finished(
                job_state, routine_id, activation.slot_name, error, activation.seq, attempt
            )
        if later and not ended:
            with run.lock:
                if retry_later and run.state != "ended":
                    assert decision is not None
                    run.schedule_retry(activation, decision.delay)
                end = run.finished_one()
        if end is not None:
            run.scheduler.end_run(run, end)

    def _save(self) -> bool:
        """The job's checkpoint after this activation; True if another owner took the
        job. Interrupted (Ctrl-C in the save: `checkpoint` logs every other error), the
        job fails and this activation is done with before the interrupt goes on, so no
        job is left running with nothing to run it, as Ctrl-C in a handler fails it."""
        run = self.run
        try:
            return checkpoint(run.flow, run.job_state)
        except BaseException as error:
            with run.lock:
                run.fail(f"interrupted while saving the job after an activation: {error!r}")
                end = run.finished_one()
            if end is not None:
                run.scheduler.end_run(run, end)
            raise

    def _succeeded_and_saved(self) -> None:
        """`_finish` of a handler that returned, with no observer, in a flow that saves
        its jobs after every activation: what `_finish` does for it, without the
        failure and observer steps (this runs once per activation)."""
        run = self.run
        job_state = run.job_state
        with run.lock:
            if self.cancel_callbacks is not None:
                self._take_callbacks()  # finished: nothing left to cancel
            if run.state == "ended":  # cancelled while the handler ran
                run.in_flight -= 1
                return
            job_state.activation_succeeded(self.activation, run.entry_id)
        # saved while this activation still holds the job's only slot (see `_finish`)
        if self._save():
            run.scheduler.lose_claim(run, stop_running=False)
        with run.lock:
            end = run.finished_one()
        if end is not None:
            run.scheduler.end_run(run, end)

    def _succeeded(self) -> None:
        """`_finish` of a handler that returned, with no observer and no per-activation
        checkpoint: the usual case, kept apart because it runs once per activation
        (`run_step` writes it out for a batch, with the hand-on to the next one)."""
        run = self.run
        with run.lock:  # `with`, for the reason given in `emit`
            if self.cancel_callbacks is not None:
                self._take_callbacks()  # finished: nothing left to cancel
            if run.state == "ended":  # cancelled while the handler ran
                run.in_flight -= 1
                return
            run.job_state.activation_succeeded(self.activation, run.entry_id)
            end = run.finished_one()
            if end is None:
                return
        run.scheduler.end_run(run, end)
