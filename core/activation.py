"""Running one slot activation: merge, call the handler, apply error strategies.

`LocalWork` is what the scheduler hands an executor. `run_here` merges the
delivered data into the job's slot buffer, sets the execution context, calls
the handler (in a helper thread if the slot has a timeout), then records the
outcome. Emits made by the handler go through `LocalScope`, which records them
in the job's history and queues the connected slots' activations.
"""

from __future__ import annotations

import contextvars
import threading
from typing import TYPE_CHECKING, Any

from .context import ExecutionContext, current_scope
from .error_handling import ActivationFailure, ErrorAction, ErrorDecision
from .errors import (
    EventNotFoundError,
    ExecutionContextError,
    HandlerTimeoutError,
    RoutineNotFoundError,
    SlotNotFoundError,
)
from .job_state import ExecutionRecord, utcnow
from .payload import check_mapping, check_payload, copy_json
from .routine import Routine, _current_job_state

if TYPE_CHECKING:
    from .remote import RemoteActivation, RemoteOutcome
    from .routine import Slot
    from .scheduler import JobRun
    from .job_state import SlotActivation


def route(run: JobRun, routine_id: str, event_name: str, data: dict[str, Any]) -> None:
    """Record `routine_id` emitting `event_name` and queue the connected slots."""
    routes = run.flow._routes_from(routine_id, event_name)
    check_mapping(data, f"{routine_id}.{event_name}")
    job_state = run.job_state
    with run.lock:
        if run.state.value == "ended":
            return  # cancelled: what in-flight handlers emit goes nowhere
        job_state._execution_history.append(ExecutionRecord(routine_id, event_name, data, utcnow()))
        for target in routes:
            run.enqueue(target.activation(data))
        job_state._touch()


class LocalScope:
    """The scope of a handler running in this process: effects apply at once."""

    __slots__ = ("run", "flow", "job_state", "routine", "routine_id", "slot_name", "closed")

    def __init__(self, run: JobRun, routine: Routine, routine_id: str, slot_name: str) -> None:
        self.run = run
        self.flow = run.flow
        self.job_state = run.job_state
        self.routine = routine
        self.routine_id = routine_id
        self.slot_name = slot_name
        self.closed: str | None = None

    def _id_of(self, routine: Routine) -> str:
        if self.closed is not None:
            raise ExecutionContextError(
                f"handler of {self.routine_id}.{self.slot_name} {self.closed}; "
                "a handler may emit only while it runs"
            )
        if routine is self.routine:
            return self.routine_id
        return self.flow._routine_id_of(routine)

    def emit(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        route(self.run, self._id_of(routine), event_name, data)

    def send_output(self, routine: Routine, output_type: str, data: dict[str, Any]) -> None:
        self.job_state.send_output(self._id_of(routine), output_type, data)

    def defer(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        self.job_state.add_deferred_event(self._id_of(routine), event_name, data)

    def context_for(self, routine: Routine) -> ExecutionContext | None:
        if routine is self.routine:
            return ExecutionContext(self.flow, self.job_state, self.routine_id)
        routine_id = self.flow._find_routine_id(routine)
        if routine_id is None:
            return None
        return ExecutionContext(self.flow, self.job_state, routine_id)


class LocalWork:
    """One activation of one job, as handed to an executor."""

    __slots__ = ("run", "activation")

    def __init__(self, run: JobRun, activation: SlotActivation) -> None:
        self.run = run
        self.activation = activation

    @property
    def job_id(self) -> str:
        return self.run.job_state.job_id

    @property
    def routine_id(self) -> str:
        return self.activation.routine_id

    @property
    def slot_name(self) -> str:
        return self.activation.slot_name

    # ------------------------------------------------------------ local run

    def run_here(self) -> None:
        """Run the handler in this thread and apply its outcome."""
        run = self.run
        activation = self.activation
        begun = self.begin()
        if begun is None:
            return
        routine, slot, data = begun
        scope = LocalScope(run, routine, activation.routine_id, activation.slot_name)
        scope_token = current_scope.set(scope)
        job_token = _current_job_state.set(run.job_state)
        error: BaseException | None = None
        try:
            timeout = slot.timeout or _handler_timeout(run, routine)
            if timeout is None:
                slot.call(data)
            else:
                _call_with_timeout(slot, data, timeout, scope)
        except Exception as exc:
            error = exc
        finally:
            _current_job_state.reset(job_token)
            current_scope.reset(scope_token)
            if scope.closed is None:
                scope.closed = "has finished"
        self._finish(error)

    def begin(self) -> tuple[Routine, Slot, dict[str, Any]] | None:
        """Merge the delivery and mark the routine running: (routine, slot, handler data).

        None if the activation is over already (job cancelled, or the delivery
        could not be merged: that failure has then been handled).
        """
        try:
            return self._begin()
        except Exception as error:  # unknown routine or slot, bad merge result
            self._finish(error)
            return None

    def _begin(self) -> tuple[Routine, Slot, dict[str, Any]] | None:
        run = self.run
        activation = self.activation
        job_state = run.job_state
        routine_id = activation.routine_id
        routine = run.flow._routines.get(routine_id)
        if routine is None:
            raise RoutineNotFoundError(
                f"pending activation names routine {routine_id!r}, which flow "
                f"{run.flow.flow_id!r} does not have"
            )
        slot = routine._slots.get(activation.slot_name)
        if slot is None:
            raise SlotNotFoundError(
                f"pending activation names slot {activation.slot_name!r} of routine "
                f"{routine_id!r}, which has no such slot"
            )
        with run.lock:
            if run.state.value == "ended":
                run.in_flight -= 1
                return None
            if slot.buffered and not activation.merged:
                buffers = job_state._slot_buffers.get(routine_id)
                old = buffers.get(slot.name) if buffers else None
                merged = slot.merge(old, activation.data)
                check_payload(merged, f"slot buffer {routine_id}.{slot.name}")
                job_state._slot_buffers.setdefault(routine_id, {})[slot.name] = merged
                activation.data = merged
                activation.merged = True
                if job_state._pending_journal is not None:
                    job_state._pending_journal.append((activation.seq, activation))
            data = copy_json(activation.data) if slot.buffered else activation.data
            job_state._set_routine_status(routine_id, "running")
            job_state.current_routine_id = routine_id
            job_state._touch()
        if run.observers is not None:
            run.observers.routine_started(job_state, routine_id, slot.name)
        return routine, slot, data

    def finish(self, error: BaseException | None) -> None:
        """Record the outcome of the handler call (`error` is what it raised, or None)."""
        self._finish(error)

    def _finish(self, error: BaseException | None) -> None:
        run = self.run
        activation = self.activation
        job_state = run.job_state
        routine_id = activation.routine_id
        decision = None if error is None else _decide(run, activation, error)
        with run.lock:
            ended = run.state.value == "ended"  # cancelled while the handler ran
            if ended:
                run.in_flight -= 1
                end = None
            else:
                if error is None:
                    job_state._drop_pending(activation)
                    job_state._set_routine_status(routine_id, "completed")
                else:
                    assert decision is not None
                    _apply_decision(run, activation, error, decision)
                job_state._touch()
                end = run.finished_one()
        if run.observers is not None:  # also after a cancel: every start gets its finish
            run.observers.routine_finished(job_state, routine_id, activation.slot_name, error)
        if end is not None:
            run.scheduler.end_run(run, end)
        elif run.checkpoint_each and not ended:
            run.flow._checkpoint(job_state)

    # ---------------------------------------------------------- remote run

    def remote(self) -> RemoteActivation:
        """Merge the delivery here and describe the handler call for a remote worker."""
        from .remote import make_remote_activation

        return make_remote_activation(self)

    def complete(self, outcome: RemoteOutcome) -> None:
        """Apply a remote worker's recorded effects in order, then its result."""
        from .remote import apply_outcome

        apply_outcome(self, outcome)

    def lost(self, error: BaseException) -> None:
        """The worker running this activation died: handle it as a handler error."""
        self._finish(error)


def _handler_timeout(run: JobRun, routine: Routine) -> float | None:
    handler = routine._error_handler or run.flow.error_handler
    return None if handler is None else handler.timeout


def _call_with_timeout(slot: Slot, data: dict[str, Any], timeout: float, scope: LocalScope) -> None:
    """Run the handler in a helper thread; give up on it after `timeout` seconds.

    A thread cannot be killed: the abandoned handler runs on, but its scope is
    closed, so whatever it emits afterwards raises instead of reaching the job.
    """
    context = contextvars.copy_context()
    outcome: list[BaseException] = []
    done = threading.Event()

    def target() -> None:
        try:
            context.run(slot.call, data)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(
        target=target, daemon=True, name=f"routilux-{scope.routine_id}.{scope.slot_name}"
    ).start()
    if not done.wait(timeout):
        scope.closed = f"timed out after {timeout}s"
        raise HandlerTimeoutError(
            f"handler of {scope.routine_id}.{scope.slot_name} ran longer than its timeout "
            f"of {timeout}s; raise the timeout (define_slot(timeout=...) or "
            "ErrorHandler(timeout=...)) or make the handler faster"
        )
    if outcome:
        raise outcome[0]


def _decide(run: JobRun, activation: SlotActivation, error: BaseException) -> ErrorDecision:
    routine = run.flow._routines.get(activation.routine_id)
    handler = (routine._error_handler if routine is not None else None) or run.flow.error_handler
    if handler is None:
        return ErrorDecision(ErrorAction.FAIL_JOB, reason="no error handler (STOP)")
    failure = ActivationFailure(
        activation.routine_id, activation.slot_name, error, activation.attempt, run.job_state
    )
    try:
        return handler.decide(failure)
    except Exception as exc:  # a broken strategy plugin fails the job, visibly
        return ErrorDecision(
            ErrorAction.FAIL_JOB, reason=f"error strategy {handler._strategy!r} raised {exc!r}"
        )


def _apply_decision(
    run: JobRun, activation: SlotActivation, error: BaseException, decision: ErrorDecision
) -> None:
    """Record a failure and act on the decision (lock held)."""
    job_state = run.job_state
    routine_id = activation.routine_id
    info: dict[str, Any] = {
        "slot": activation.slot_name,
        "error": str(error),
        "error_type": type(error).__name__,
        "attempt": activation.attempt,
    }
    if decision.reason:
        info["reason"] = decision.reason
    action = decision.action
    if action is ErrorAction.RETRY:
        activation.attempt += 1
        info["delay"] = decision.delay
        job_state._append_record(routine_id, "retry", info)
        if job_state._pending_journal is not None:
            job_state._pending_journal.append((activation.seq, activation))
        run.schedule_retry(activation, decision.delay)
        return
    error_text = str(error)
    if action is ErrorAction.CONTINUE:
        job_state._drop_pending(activation)
        job_state._set_routine_status(routine_id, "error_continued", error=error_text)
        job_state._append_record(routine_id, "error_continued", info)
    elif action is ErrorAction.SKIP:
        job_state._drop_pending(activation)
        job_state._set_routine_status(routine_id, "skipped", error=error_text)
        job_state._append_record(routine_id, "skipped", info)
    elif action is ErrorAction.FAIL_ROUTINE:
        job_state._drop_pending(activation)
        job_state._set_routine_status(routine_id, "failed", error=error_text)
        job_state._append_record(routine_id, "error", info)
    else:  # FAIL_JOB: the activation stays pending so that a resume can run it again
        job_state._set_routine_status(routine_id, "failed", error=error_text)
        job_state._append_record(routine_id, "error", info)
        from .scheduler import RunState

        run.request_stop(RunState.FAILING, error_text)


def unknown_event(routine_id: str, routine: Routine, event_name: str) -> EventNotFoundError:
    """The error for an emit of an undeclared event."""
    return EventNotFoundError(
        f"routine {routine_id!r} ({type(routine).__name__}) has no event {event_name!r} "
        f"(declared: {sorted(routine._events) or 'none'}); declare it with "
        f"define_event({event_name!r})"
    )
