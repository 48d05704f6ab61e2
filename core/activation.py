"""Running one slot activation: merge, call the handler, apply error strategies.

`LocalWork` is what the scheduler hands an executor. `run_here` merges the
delivered data into the job's slot buffer, sets the execution context, calls
the handler (in a helper thread if the slot has a timeout), then records the
outcome. While the handler runs, the LocalWork is its scope: emits record
in the job's history and queues the connected slots' activations.
"""

from __future__ import annotations

import contextvars
import threading
from time import time as _time
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
from .jobs import checkpoint
from .payload import _SCALARS, check_mapping, check_payload, copy_json
from .routine import Routine, _current_job_state

if TYPE_CHECKING:
    from .flow import Flow
    from .job_state import JobState, SlotActivation
    from .remote import RemoteActivation, RemoteOutcome
    from .routine import Slot
    from .scheduler import JobRun


def route(run: JobRun, routine_id: str, event_name: str, data: dict[str, Any]) -> None:
    """Record `routine_id` emitting `event_name` and queue the connected slots.

    This is the emit path: one lock acquisition, one history record, one
    shallow copy of `data` per connected slot.
    """
    flow = run.flow
    routes = flow._route_table.get((routine_id, event_name))
    if routes is None:
        routes = flow._routes_from(routine_id, event_name)  # validates the event
    for value in data.values():
        if type(value) not in _SCALARS:
            check_mapping(data, f"{routine_id}.{event_name}")
            break
    job_state = run.job_state
    now = _time()
    with run.lock:
        if run.state == "ended":
            return  # cancelled: what in-flight handlers emit goes nowhere
        job_state._execution_history.append((routine_id, event_name, data, now))
        if routes:
            run.deliver(routes, data)
        job_state._mtime = now
        job_state._version += 1
        if job_state._watchers:
            job_state._condition().notify_all()


class LocalWork:
    """One activation of one job, as handed to an executor.

    It is made by `JobRun.take` with the job's lock held: the delivery is
    merged into the slot's buffer and the routine marked running right away.
    While its handler runs in this process it is also the handler's scope
    (what `Routine.emit` and friends talk to): effects apply to the live
    JobState at once.
    """

    __slots__ = ("run", "activation", "routine", "slot", "data", "error", "closed")

    def __init__(self, run: JobRun, activation: SlotActivation) -> None:
        self.run = run
        self.activation = activation
        self.routine: Routine | None = None
        self.slot: Slot | None = None
        self.data = activation.data
        #: Raised while starting (unknown routine or slot, failed merge).
        self.error: BaseException | None = None
        #: Why the scope no longer accepts effects (None while the handler runs).
        self.closed: str | None = None
        try:
            self._start()
        except Exception as exc:
            self.error = exc

    def _start(self) -> None:
        """Merge the delivery and mark the routine running (the job's lock is held)."""
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
        if slot is None and activation.slot_name == "trigger" and routine_id == run.entry_id:
            raise SlotNotFoundError(
                f"entry routine {routine_id!r} ({type(routine).__name__}) has no 'trigger' "
                "slot; define it with define_slot('trigger', handler=...)"
            )
        if slot is None:
            raise SlotNotFoundError(
                f"pending activation names slot {activation.slot_name!r} of routine "
                f"{routine_id!r}, which has no such slot"
            )
        self.routine = routine
        self.slot = slot
        if slot.buffered:
            self.data = copy_json(_merge(job_state, routine_id, slot, activation))
        job_state.current_routine_id = routine_id
        job_state._version += 1
        if job_state._watchers:
            job_state._condition().notify_all()

    @property
    def job_id(self) -> str:
        return self.run.job_state.job_id

    @property
    def routine_id(self) -> str:
        return self.activation.routine_id

    @property
    def slot_name(self) -> str:
        return self.activation.slot_name

    @property
    def flow(self) -> Flow:
        return self.run.flow

    @property
    def job_state(self) -> JobState:
        return self.run.job_state

    # ------------------------------------------------------------ the scope

    def _id_of(self, routine: Routine) -> str:
        if self.closed is not None:
            raise ExecutionContextError(
                f"handler of {self.activation.routine_id}.{self.activation.slot_name} "
                f"{self.closed}; a handler may emit only while it runs"
            )
        if routine is self.routine:
            return self.activation.routine_id
        return self.run.flow._routine_id_of(routine)

    def emit(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        if routine is self.routine and self.closed is None:
            route(self.run, self.activation.routine_id, event_name, data)
        else:
            route(self.run, self._id_of(routine), event_name, data)

    def send_output(self, routine: Routine, output_type: str, data: dict[str, Any]) -> None:
        self.run.job_state.send_output(self._id_of(routine), output_type, data)

    def defer(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        self.run.job_state.add_deferred_event(self._id_of(routine), event_name, data)

    def context_for(self, routine: Routine) -> ExecutionContext | None:
        run = self.run
        if routine is self.routine:
            return ExecutionContext(run.flow, run.job_state, self.activation.routine_id)
        routine_id = run.flow._find_routine_id(routine)
        if routine_id is None:
            return None
        return ExecutionContext(run.flow, run.job_state, routine_id)

    # ------------------------------------------------------------ local run

    def run_here(self) -> None:
        """Run the handler in this thread and apply its outcome."""
        routine = self.routine
        slot = self.slot
        if routine is None or slot is None or self.error is not None:
            self._finish(self.error)
            return
        run = self.run
        if run.observers is not None:
            run.observers.routine_started(run.job_state, self.activation.routine_id, slot.name)
        scope_token = current_scope.set(self)
        job_token = _current_job_state.set(run.job_state)
        error: BaseException | None = None
        interrupted: BaseException | None = None
        try:
            timeout = slot.timeout
            if timeout is None:
                handler = routine._error_handler or run.flow.error_handler
                if handler is not None:
                    timeout = handler.timeout
            if timeout is None:
                slot.call(self.data)
            else:
                _call_with_timeout(slot, self.data, timeout, self)
        except Exception as exc:
            error = exc
        except BaseException as exc:  # KeyboardInterrupt in Flow.run: fail, then propagate
            self.closed = "was interrupted"
            interrupted = exc
        finally:
            _current_job_state.reset(job_token)
            current_scope.reset(scope_token)
            if self.closed is None:
                self.closed = "has finished"
        if interrupted is not None:
            self._finish(interrupted)
            raise interrupted
        self._finish(error)

    def finish(self, error: BaseException | None) -> None:
        """Record the outcome of the handler call (`error` is what it raised, or None)."""
        self._finish(error)

    def _finish(self, error: BaseException | None) -> None:
        run = self.run
        activation = self.activation
        job_state = run.job_state
        routine_id = activation.routine_id
        decision = None if error is None else _decide(run, activation, error)
        end: str | None = None
        with run.lock:
            ended = run.state == "ended"  # cancelled while the handler ran
            if ended:
                run.in_flight -= 1
                end = None
            else:
                if error is None:
                    # JobState._drop_pending, inlined: this runs once per activation
                    if (
                        job_state._pending.pop(activation.seq, None) is not None
                        and job_state._pending_journal is not None
                    ):
                        job_state._pending_journal.append((activation.seq, None))
                    _mark_success(job_state, run, activation)
                else:
                    assert decision is not None
                    _apply_decision(run, activation, error, decision)
                job_state._mtime = _time()
                job_state._version += 1
                if job_state._watchers:
                    job_state._condition().notify_all()
                if not run.checkpoint_each:
                    end = run.finished_one()
        if run.checkpoint_each and not ended:
            # Save while this activation still holds the job's only slot: the next
            # activation cannot start, so the checkpoint holds no part of it.
            checkpoint(run.flow, job_state)
            with run.lock:
                end = run.finished_one()
        if run.observers is not None:  # also after a cancel: every start gets its finish
            run.observers.routine_finished(job_state, routine_id, activation.slot_name, error)
        if end is not None:
            run.scheduler.end_run(run, end)

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


def _mark_success(job_state: JobState, run: JobRun, activation: SlotActivation) -> None:
    """Record a successful handler call in the routine's state (lock held).

    As in routilux 0.10, a routine's state belongs to its handlers
    (``update_routine_state``): the engine writes only the entry routine's
    ``{"status": "completed"}`` once its trigger handler returns, failure statuses,
    and ``completed`` over an earlier failure that a later run (a resume) made good.
    """
    routine_id = activation.routine_id
    state = job_state._routine_states.get(routine_id)
    if routine_id == run.entry_id and activation.slot_name == "trigger":
        if state is None:
            job_state._routine_states[routine_id] = {"status": "completed"}
        else:  # what the handler stored stays (the seeds' "Source generated: 5")
            state["status"] = "completed"
    elif state is not None and state.get("status") in ("failed", "error"):
        state["status"] = "completed"


def _merge(
    job_state: JobState, routine_id: str, slot: Slot, activation: SlotActivation
) -> dict[str, Any]:
    """Merge a delivery into the job's buffer of `slot` (lock held); returns the buffer.

    A retried activation was merged on its first run and is not merged again.
    """
    if activation.merged:
        return activation.data
    buffers = job_state._slot_buffers.get(routine_id)
    old = buffers.get(slot.name) if buffers else None
    merged = slot.merge(old, activation.data)
    check_payload(merged, f"slot buffer {routine_id}.{slot.name}")
    job_state._slot_buffers.setdefault(routine_id, {})[slot.name] = merged
    activation.data = merged
    activation.merged = True
    if job_state._pending_journal is not None:
        job_state._pending_journal.append((activation.seq, activation))
    return merged


def _call_with_timeout(slot: Slot, data: dict[str, Any], timeout: float, scope: LocalWork) -> None:
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
        except BaseException as exc:
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
        decision = handler.decide(failure)
    except Exception as exc:  # a broken strategy plugin fails the job, visibly
        return ErrorDecision(
            ErrorAction.FAIL_JOB, reason=f"error strategy {handler._strategy!r} raised {exc!r}"
        )
    if decision.action is ErrorAction.RETRY:
        handler.note_retry()
    return decision


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
