"""Running one slot activation: merge, call the handler, apply error strategies.

`LocalWork` is what the scheduler hands an executor. `run_here` merges the
delivered data into the job's slot buffer, sets the execution context, calls
the handler (in a helper thread if the slot has a timeout), then records the
outcome. While the handler runs, the LocalWork is its scope: emits record
in the job's history and queues the connected slots' activations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from time import time as _time
from typing import TYPE_CHECKING, Any

from .activation_outcome import ActivationOutcome
from .connection import make_deliveries
from .context import ExecutionContext, current_scope
from .errors import (
    ExecutionContextError,
    RoutineNotFoundError,
    SlotNotFoundError,
)
from .errors import unknown_event as unknown_event  # moved to errors.py; re-exported
from .failures import is_interrupt
from .handler_timeout import call_with_timeout
from .payload import _SCALARS, copy_any, copy_json, freeze
from .records import new_activation, recorded_emit
from .routine import Routine, _current_job_state

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from .flow import Flow
    from .job_run import JobRun
    from .job_state import JobState, SlotActivation
    from .remote import RemoteActivation, RemoteOutcome
    from .routine import Slot


class LocalWork(ActivationOutcome):
    """One activation of one job, as handed to an executor.

    It is made by `JobRun.take` with the job's lock held: the delivery is
    merged into the slot's buffer and the routine marked running right away.
    While its handler runs in this process it is also the handler's scope
    (what `Routine.emit` and friends talk to): effects apply to the live
    JobState at once. Giving up on it (`cancel`, `on_cancel`) is `Cancellable`'s
    part (`routilux.cancellation`).
    """

    __slots__ = (
        "run",
        "activation",
        "routine",
        "slot",
        "data",
        "error",
        "closed",
        "cancel_reason",
        "cancel_callbacks",
    )

    def __init__(
        self, run: JobRun, activation: SlotActivation, done: SlotActivation | None = None
    ) -> None:
        self.run = run
        self.activation = activation
        # The usual start, inlined (it runs once per activation): an unbuffered slot of
        # a known routine; everything else goes through `_start`, which raises if
        # either is missing (None here).
        routine_id = activation.routine_id
        target = run.flow.slot_targets.get((routine_id, activation.slot_name))
        if target is None:  # the first activation of the slot in the flow, or a missing one
            routine, slot = run.flow.slot_target(routine_id, activation.slot_name)
        else:
            routine, slot = target
        self.routine = routine
        self.slot = slot
        self.data = activation.data
        #: Raised while starting (unknown routine or slot, failed merge).
        self.error: BaseException | None = None
        #: Why the scope no longer accepts effects (None while the handler runs).
        self.closed: str | None = None
        #: Why the activation was given up on (timed out, cancelled), if it was.
        self.cancel_reason: str | None = None
        #: What `on_cancel` registered (None: nothing, the usual case).
        self.cancel_callbacks: list[Callable[[str], object]] | None = None
        if slot is not None and not slot.buffered:
            if slot.passes_dict:  # the delivered dict may be shared (`make_deliveries`),
                # and the pending activation keeps the data as emitted for a retry or a
                # checkpoint: the handler changes a copy of its own, nested values too
                self.data = copy_json(activation.data)
            if done is None:
                run.job_state.activation_started(routine_id)
            else:  # `done` succeeded, and this worker goes on with this activation
                run.job_state.activation_started(routine_id, done, run.entry_id)
            return
        if done is not None:  # handed on in a batch: the scope still holds `done`'s work
            run.job_state.activation_succeeded(done, run.entry_id)
            current_scope.set(None)  # a merge function (user code) runs with no scope
        try:
            self._start(routine, slot)
        except Exception as exc:
            self.error = exc

    def _start(self, routine: Routine | None, slot: Slot | None) -> None:
        """Check the target, merge the delivery into a buffered slot and mark the routine
        running (the job's lock is held); `routine` and `slot` as looked up by id."""
        run = self.run
        activation = self.activation
        job_state = run.job_state
        routine_id = activation.routine_id
        if routine is None:
            raise RoutineNotFoundError(
                f"pending activation names routine {routine_id!r}, which flow "
                f"{run.flow.flow_id!r} does not have"
            )
        if slot is None and activation.slot_name == "trigger" and routine_id == run.entry_id:
            raise SlotNotFoundError(  # routilux 0.10's words: programs print the state
                f"Entry routine {routine_id!r} must have a 'trigger' slot. "
                "Define it using: routine.define_slot('trigger', handler=your_handler)"
            )
        if slot is None:
            raise SlotNotFoundError(
                f"pending activation names slot {activation.slot_name!r} of routine "
                f"{routine_id!r}, which has no such slot"
            )
        if slot.buffered:
            handed = job_state.merge_delivery(routine_id, slot, activation)
            # An append slot hands over the buffer's own lists, as routilux 0.10 does (see
            # `Slot.merge`); with a store a copy, so that nothing a handler does to what it
            # was given reaches the saved job behind its lock and checks.
            if slot.merge_strategy != "append" or run.flow.store is not None:
                handed = copy_json(handed)
            self.data = handed
        job_state.activation_started(routine_id)

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

    def _id_of(self, routine: Routine, what: str = "emit") -> str:
        if self.cancel_reason is not None:
            raise self.refuse(what)
        if self.closed is not None:
            raise ExecutionContextError(
                f"handler of {self.activation.routine_id}.{self.activation.slot_name} "
                f"{self.closed}; a handler may emit only while it runs"
            )
        if routine is self.routine:
            return self.activation.routine_id
        return self.run.flow.routine_id_of(routine)

    def emit(
        self,
        routine: Routine | None,
        event_name: str,
        data: dict[str, Any],
        record: bool = True,
        replayed_by: str | None = None,
    ) -> None:
        """Record `routine` emitting `event_name` and queue the connected slots
        (`record` False: not in the job's history, as `Event.emit` in routilux 0.10).

        The emit path: one lock, one history record; plain data is shared by the history
        and the deliveries (`make_deliveries`), nested data copied once per slot. An emit
        of a cancelled activation (timed out, or its job ended) is refused under the lock.
        `replayed_by` (`replay_emit`): the id of the routine that emitted on a remote
        worker (`routine` None); refused, silently, only once the job has ended.
        """
        run = self.run
        if replayed_by is not None:
            routine_id = replayed_by
        elif routine is self.routine and self.closed is None:
            routine_id = self.activation.routine_id
        else:
            assert routine is not None  # None only with replayed_by
            routine_id = self._id_of(routine, f"emit({event_name!r})")  # raises if closed
        flow = run.flow
        routes = flow.route_table.get((routine_id, event_name))  # `routes_from`'s cache
        if routes is None:
            routes = flow.routes_from(routine_id, event_name)  # validates the event
        nested = False
        job_state = run.job_state
        for value in data.values():
            if type(value) not in _SCALARS:
                # checked and copied in one pass: the emitter, the history and each
                # delivery independent (an unsaved job takes any object, as 0.10 did)
                if job_state.json_only:
                    data = freeze(data, f"{routine_id}.{event_name}")
                else:
                    data = copy_any(data, f"{routine_id}.{event_name}")
                nested = True
                break
        # the deliveries, made before taking the lock
        if nested or len(routes) != 1:
            added = make_deliveries(routes, data, nested) if routes else []
        else:
            (target,) = routes
            if target.mapping is None:  # `make_deliveries` for the usual case, written out
                added = [new_activation(target.routine_id, target.slot_name, data)]
            else:
                added = make_deliveries(routes, data, False)
        if nested and not job_state.json_only:
            data = recorded_emit(data)  # routilux's own objects by their str(), as 0.10
        now = _time()
        # `with`, not acquire() then try: a Ctrl-C delivered as acquire() returns would
        # leave the job's lock held (handlers run in the main thread too)
        with run.lock:
            if (self.cancel_reason is None or replayed_by is not None) and run.state != "ended":
                job_state.record_emit(routine_id, event_name, data, now, added, record)
                if added:
                    run.queue.extend(added)  # queued here, not via JobRun: once per event
                    if run.in_flight < run.limit and not run.in_ring and run.state == "running":
                        run.make_ready()
                return
        # refused: the job ended, or this activation was cancelled
        if replayed_by is None:
            raise self.refuse(f"emit({event_name!r})")

    def send_output(self, routine: Routine, output_type: str, data: dict[str, Any]) -> None:
        routine_id = self._id_of(routine, f"send_output({output_type!r})")
        self.run.job_state.send_output(routine_id, output_type, data)

    def defer(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        routine_id = self._id_of(routine, f"emit_deferred_event({event_name!r})")
        self.run.job_state.add_deferred_event(routine_id, event_name, data)

    def context_for(self, routine: Routine) -> ExecutionContext | None:
        run = self.run
        if routine is self.routine:
            return ExecutionContext(run.flow, run.job_state, self.activation.routine_id, self)
        routine_id = run.flow.find_routine_id(routine)
        if routine_id is None:
            return None
        return ExecutionContext(run.flow, run.job_state, routine_id, self)

    @property
    def is_async(self) -> bool:
        """Whether the handler is ``async def`` (to be awaited: `run_async`)."""
        slot = self.slot
        return slot is not None and slot.is_async

    @property
    def timeout(self) -> float | None:
        """The handler's time limit: the slot's, else its error handler's (seconds)."""
        slot = self.slot
        if slot is None:
            return None
        if slot.timeout is not None:
            return slot.timeout
        handler = (self.routine and self.routine.get_error_handler()) or self.run.flow.error_handler
        return None if handler is None else handler.timeout

    # ------------------------------------------------------------ local run

    def run_async(self) -> Coroutine[Any, Any, None]:
        """A coroutine that awaits the ``async def`` handler in the running event
        loop's current task and applies its outcome (`routilux.aio.run_activation`)."""
        from .aio import run_activation

        return run_activation(self)

    def run_here(self) -> None:
        """Run the handler in this thread and apply its outcome."""
        job_token = _current_job_state.set(self.run.job_state)
        try:
            self.run_step(False)
        finally:
            _current_job_state.reset(job_token)

    def run_batch(self) -> None:
        """`run_here`, then the job's next activations while this thread may go on with
        them (`Scheduler.serve`, `JobRun.hand_on`), each taken in the same lock as the
        previous one's finish. The thread runs them in the job's context: the job's
        ``_current_job_state`` is set once for the batch, the scope once per activation.
        """
        job_token = _current_job_state.set(self.run.job_state)
        scope_token = current_scope.set(None)
        work: LocalWork | None = self
        try:
            while work is not None:
                work = work.run_step(True)
        except Exception:  # a bug must not kill the worker and strand every job
            assert work is not None
            log.exception("routilux worker: unexpected error running %r", work.activation)
        finally:
            current_scope.reset(scope_token)
            _current_job_state.reset(job_token)

    def run_step(self, go_on: bool) -> LocalWork | None:
        """Run the handler (the job's ``_current_job_state`` is set) and apply its outcome;
        then, with `go_on`, the job's next activation if this thread may run it at once.

        With `go_on` (`run_batch`) the scope variable is set to each activation in turn
        and reset once, at the batch's end: a handler, and any context copied in it, sees
        its own activation. Between two of them (bookkeeping that reads no scope) it holds
        the finished one; other ways out of a step, and merge functions, clear it first.
        """
        routine = self.routine
        slot = self.slot
        if routine is None or slot is None or self.error is not None:
            if go_on:
                current_scope.set(None)
            self._finish(self.error)
            return None
        run = self.run
        if run.observers is not None:
            activation = self.activation
            run.observers.routine_started(
                run.job_state, activation.routine_id, slot.name, activation.seq, activation.attempt
            )
        if go_on:  # reset by run_batch: one ContextVar change per activation, not two
            scope_token = None
            current_scope.set(self)
        else:
            scope_token = current_scope.set(self)
        try:
            timeout = slot.timeout  # the `timeout` property, inlined
            if timeout is None:
                handler = routine.get_error_handler() or run.flow.error_handler
                if handler is not None:
                    timeout = handler.timeout
            if timeout is None:
                direct = slot.kwargs_handler  # `slot.call`, without its frame
                result = slot.call(self.data) if direct is None else direct(**self.data)
            else:
                result = call_with_timeout(slot, self.data, timeout, self)
            if result is not None and hasattr(result, "__await__"):
                from .aio import returned_coroutine

                raise returned_coroutine(self, result)
        except BaseException as exc:
            if scope_token is None:
                current_scope.set(None)
            else:
                current_scope.reset(scope_token)
            if self._failed(exc):
                raise
            return None
        if self.closed is None:
            self.closed = "has finished"
        if run.observers is None and not run.checkpoint_each:
            if scope_token is not None:  # not go_on
                current_scope.reset(scope_token)
                self._succeeded()  # what _finish would call: one frame less
                return None
            # `_succeeded`, written out, with the hand-on: the job's next activation taken in
            # the same lock (if no other job waits), this worker going on with it
            with run.lock:  # `with`, for the reason given in `emit`
                if self.cancel_callbacks is not None:
                    self._take_callbacks()  # finished: nothing left to cancel
                if run.state == "ended":  # cancelled while the handler ran
                    run.in_flight -= 1
                    return None
                if run.queue:  # the next one, which records this one's success
                    work = run.hand_on(self.activation)
                    if work is not None:
                        return work
                run.job_state.activation_succeeded(self.activation, run.entry_id)
                end = run.finished_one()
                if end is None:
                    return None
            current_scope.set(None)  # the job's end runs with no scope
            run.scheduler.end_run(run, end)
            return None
        if scope_token is None:
            current_scope.set(None)
        else:
            current_scope.reset(scope_token)
        self._finish(None)  # the worker then takes its next work through the ring
        return None

    def _failed(self, exc: BaseException) -> bool:
        """The handler raised `exc` (its scope reset): record the failure. True if `exc`
        must propagate (Ctrl-C in the thread driving the job: the job fails, the caller
        gets it); anything else, SystemExit and GeneratorExit included, is the handler's
        failure only, so the worker lives on."""
        if is_interrupt(exc):
            self.closed = "was interrupted"
            self._finish(exc)
            return True
        if self.closed is None:
            self.closed = "has finished"
        self._finish(exc)
        return False

    def finish(self, error: BaseException | None) -> None:
        """Record the outcome of the handler call (`error` is what it raised, or None)."""
        self._finish(error)

    # ---------------------------------------------------------- remote run
    # `remote` and `complete` are the executors' facade over routilux.remote,
    # imported on first use (remote never imports this module at run time).

    def remote(self) -> RemoteActivation:
        """Merge the delivery here and describe the handler call for a remote worker."""
        from .remote import make_remote_activation

        return make_remote_activation(self)

    def complete(self, outcome: RemoteOutcome) -> None:
        """Apply a remote worker's recorded effects in order, then its result."""
        from .remote import apply_outcome

        apply_outcome(self, outcome)

    def replay_emit(
        self, routine_id: str, event_name: str, data: dict[str, Any], record: bool = True
    ) -> None:
        """Route an event the handler emitted on a remote worker (its effects replayed)."""
        self.emit(None, event_name, data, record, routine_id)

    def lost(self, error: BaseException) -> None:
        """The worker running this activation died: handle it as a handler error."""
        self._finish(error)
