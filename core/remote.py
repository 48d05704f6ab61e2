"""Running a handler away from the coordinator, with its effects shipped back.

A distributed executor cannot let a remote handler touch the coordinator's
JobState. Instead `LocalWork.remote()` merges the delivery on the coordinator
and returns a `RemoteActivation`: the routine, the handler's input, and a
snapshot of the job's routine states, shared data and metadata as of dispatch.
`RemoteActivation.run()` (on the worker) calls the handler against a
recording context: ``emit``, ``send_output``, ``emit_deferred_event`` and the
JobState's mutating methods (``update_routine_state``, ``update_shared_data``,
``append_to_shared_log``, ``record_execution``, ``update_metadata``) and
``flow.pause``/``flow.cancel`` are recorded, in order, as effects. Reads inside
the handler see the dispatch-time snapshot plus the handler's own writes; the
history and logs are not shipped (reads of them return only the handler's own
entries). `LocalWork.complete(outcome)` applies the effects in order on the
coordinator, then the handler's result (error strategies apply as usual).

Both classes are plain data; executors pickle them with cloudpickle or
similar. An exception that cannot travel is replaced by `RemoteHandlerError`.
"""

from __future__ import annotations

import contextvars
import pickle
import threading
import traceback
from typing import TYPE_CHECKING, Any

import attrs

from .context import ExecutionContext, current_scope
from .errors import (
    ExecutionContextError,
    HandlerTimeoutError,
    RoutiluxError,
    unknown_event,
)
from .errors import (
    RemoteHandlerError as RemoteHandlerError,  # moved to errors.py; re-exported
)
from .errors import (
    RemoteUnavailable as RemoteUnavailable,
)
from .job_state import JobState
from .payload import check_mapping, copy_json
from .routine import Routine, _current_job_state
from .saved_fields import copy_of, saved_fields

if TYPE_CHECKING:
    from .activation import LocalWork


@attrs.frozen
class RemoteOutcome:
    """What a remote handler did: its effects in order, and what it raised."""

    effects: list[tuple[Any, ...]]
    error: BaseException | None = None


@attrs.frozen
class RemoteActivation:
    """Everything a worker needs to run one handler call."""

    job_id: str
    flow_id: str
    routine_id: str
    slot_name: str
    routine: Routine
    data: dict[str, Any]
    view: dict[str, Any]
    #: The handler's time limit (seconds), enforced by `run` on the worker; an
    #: executor that stops overrunning handlers itself sends None.
    timeout: float | None = None

    def run(self) -> RemoteOutcome:
        """Run the handler here, recording its effects (called on the worker).

        With a `timeout`, the handler runs in a helper thread; past the limit the
        outcome is a `HandlerTimeoutError` with the effects recorded until then, and
        the abandoned handler's later emits raise (a thread cannot be stopped).
        """
        effects: list[tuple[Any, ...]] = []
        job_state = RecordingJobState(self, effects)
        flow = RemoteFlow(self.flow_id, job_state, effects)
        scope = RecordingScope(self, flow, job_state, effects)
        if self.timeout is None:
            return RemoteOutcome(effects, self._call(scope, job_state))
        context = contextvars.copy_context()
        result: list[BaseException | None] = []
        done = threading.Event()

        def target() -> None:
            result.append(context.run(self._call, scope, job_state))
            done.set()

        name = f"routilux-{self.routine_id}.{self.slot_name}"
        threading.Thread(target=target, daemon=True, name=name).start()
        if done.wait(self.timeout):
            return RemoteOutcome(effects, result[0])
        scope.closed = True
        scope.cancelled = True
        return RemoteOutcome(
            list(effects),
            HandlerTimeoutError(
                f"handler of {self.routine_id}.{self.slot_name} timed out after "
                f"{self.timeout}s on its worker (which cannot stop a thread: it runs on, its "
                "effects refused); raise the timeout or make the handler faster"
            ),
        )

    def _call(self, scope: RecordingScope, job_state: RecordingJobState) -> BaseException | None:
        scope_token = current_scope.set(scope)
        job_token = _current_job_state.set(job_state)
        try:
            self.routine.slots[self.slot_name].call(self.data)
        except Exception as exc:
            return _portable(exc)
        finally:
            _current_job_state.reset(job_token)
            current_scope.reset(scope_token)
            scope.closed = True
        return None


def _portable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RemoteHandlerError(
            type(error).__name__,
            str(error),
            "".join(traceback.format_exception(type(error), error, error.__traceback__)),
        )


#: The saved fields a remote handler sees (declared with ``saved(remote=True)``).
_REMOTE_FIELDS = tuple(f for f in saved_fields(JobState) if f.remote)


class RecordingJobState(JobState):
    """A JobState built from the dispatch snapshot that records every change."""

    def __init__(self, activation: RemoteActivation, effects: list[tuple[Any, ...]]) -> None:
        view = activation.view
        super().__init__(
            flow_id=activation.flow_id,
            job_id=activation.job_id,
            **{f.init_name: copy_json(view[f.key]) for f in _REMOTE_FIELDS if f.key in view},
        )
        object.__setattr__(self, "_effects", effects)

    __slots__ = ("_effects",)
    _effects: list[tuple[Any, ...]]

    def update_routine_state(self, routine_id: str, state: dict[str, Any]) -> None:
        super().update_routine_state(routine_id, state)
        self._effects.append(("state", routine_id, copy_json(state)))

    def update_shared_data(self, key: str, value: Any) -> None:
        super().update_shared_data(key, value)
        self._effects.append(("shared", key, copy_json(value)))

    def append_to_shared_log(self, entry: dict[str, Any]) -> None:
        super().append_to_shared_log(entry)
        self._effects.append(("log", self._shared_log[-1]))

    def record_execution(self, routine_id: str, event_name: str, data: dict[str, Any]) -> None:
        super().record_execution(routine_id, event_name, data)
        self._effects.append(("record", routine_id, event_name, copy_json(data or {})))

    def send_output(self, routine_id: str, output_type: str, data: dict[str, Any]) -> None:
        check_mapping(data, f"output[{routine_id}.{output_type}]")
        self._effects.append(("output", routine_id, output_type, copy_json(data)))

    def add_deferred_event(self, routine_id: str, event_name: str, data: dict[str, Any]) -> None:
        super().add_deferred_event(routine_id, event_name, data)
        self._effects.append(("defer", routine_id, event_name, copy_json(data)))

    def add_pause_point(
        self, routine_id: str, event_name: str, data: dict[str, Any], **options: Any
    ) -> str:
        pause_id = super().add_pause_point(routine_id, event_name, data, **options)
        self._effects.append(("pause_point", routine_id, event_name, copy_json(data), options))
        return pause_id

    def update_metadata(self, values: dict[str, Any] | None = None, **kw: Any) -> None:
        super().update_metadata(values, **kw)
        self._effects.append(("metadata", copy_json({**(values or {}), **kw})))


class RemoteFlow:
    """Stands in for the Flow on a worker: pause and cancel are recorded."""

    def __init__(self, flow_id: str, job_state: JobState, effects: list[tuple[Any, ...]]) -> None:
        self.flow_id = flow_id
        self._job_state = job_state
        self._effects = effects

    def pause(
        self,
        job_state: JobState,
        reason: str = "",
        checkpoint: dict[str, Any] | None = None,
        **_: Any,
    ) -> None:
        self._check(job_state)
        # checked by the coordinator's flow.pause, as a local pause is
        self._effects.append(("pause", reason, copy_json(checkpoint)))

    def cancel(self, job_state: JobState, reason: str = "") -> None:
        self._check(job_state)
        self._effects.append(("cancel", reason))

    def _check(self, job_state: JobState) -> None:
        if job_state is not self._job_state:
            raise ExecutionContextError("a remote handler can pause or cancel only its own job")

    def __getattr__(self, name: str) -> Any:
        raise ExecutionContextError(
            f"flow.{name} is not available to a handler running on a remote worker; "
            "only flow_id, pause() and cancel() are"
        )


class RecordingScope:
    """The scope of a remote handler: emits and outputs become effects."""

    def __init__(
        self,
        activation: RemoteActivation,
        flow: RemoteFlow,
        job_state: RecordingJobState,
        effects: list[tuple[Any, ...]],
    ) -> None:
        self.activation = activation
        self.flow = flow
        self.job_state = job_state
        self.routine = activation.routine
        self.routine_id = activation.routine_id
        self.effects = effects
        self.closed = False
        #: A remote handler is given up on by its executor, not from here.
        self.cancelled = False

    def _check(self, routine: Routine) -> None:
        if self.closed:
            raise ExecutionContextError("a remote handler may emit only while it runs")
        if routine is not self.routine:
            raise ExecutionContextError(
                "a handler running on a remote worker can emit only through its own routine"
            )

    def emit(
        self, routine: Routine, event_name: str, data: dict[str, Any], record: bool = True
    ) -> None:
        self._check(routine)
        if routine.get_event(event_name) is None:
            raise unknown_event(self.routine_id, routine, event_name)
        check_mapping(data, f"{self.routine_id}.{event_name}")
        self.effects.append(("emit", self.routine_id, event_name, copy_json(data), record))

    def send_output(self, routine: Routine, output_type: str, data: dict[str, Any]) -> None:
        self._check(routine)
        self.job_state.send_output(self.routine_id, output_type, data)

    def defer(self, routine: Routine, event_name: str, data: dict[str, Any]) -> None:
        self._check(routine)
        self.job_state.add_deferred_event(self.routine_id, event_name, data)

    def context_for(self, routine: Routine) -> ExecutionContext | None:
        if routine is not self.routine:
            return None
        return ExecutionContext(self.flow, self.job_state, self.routine_id)  # type: ignore[arg-type]


# ------------------------------------------------------------ coordinator side


def make_remote_activation(work: LocalWork) -> RemoteActivation:
    """Merge the delivery on the coordinator and describe the call for a worker.

    Raises `RemoteUnavailable` (after handling the activation) if it is over
    already; executors then simply drop it.
    """
    routine, slot, data = work.routine, work.slot, work.data
    if routine is None or slot is None or work.error is not None:
        work.finish(work.error)
        raise RemoteUnavailable(work.job_id)
    run = work.run
    if run.observers is not None:
        activation = work.activation
        run.observers.routine_started(
            run.job_state, work.routine_id, slot.name, activation.seq, activation.attempt
        )
    job_state = run.job_state
    with job_state.lock:
        shared = not job_state.json_only  # its values may be changing in handler threads
        view = {f.key: copy_of(f, shared)(getattr(job_state, f.read)) for f in _REMOTE_FIELDS}
    return RemoteActivation(
        job_state.job_id,
        job_state.flow_id,
        work.activation.routine_id,
        slot.name,
        routine,
        copy_json(data),
        view,
        work.timeout,
    )


def apply_outcome(work: LocalWork, outcome: RemoteOutcome) -> None:
    """Apply recorded effects in the order the handler made them, then finish."""
    run = work.run
    flow = run.flow
    job_state = run.job_state
    error = outcome.error
    if work.cancelled:  # cancelled while the worker ran: its effects go nowhere
        work.finish(error)
        return
    try:
        for effect in outcome.effects:
            kind = effect[0]
            if kind == "emit":
                work.replay_emit(effect[1], effect[2], effect[3], effect[4])
            elif kind == "state":
                job_state.update_routine_state(effect[1], effect[2])
            elif kind == "shared":
                job_state.update_shared_data(effect[1], effect[2])
            elif kind == "log":
                job_state.append_to_shared_log(effect[1])
            elif kind == "record":
                job_state.record_execution(effect[1], effect[2], effect[3])
            elif kind == "output":
                job_state.send_output(effect[1], effect[2], effect[3])
            elif kind == "defer":
                job_state.add_deferred_event(effect[1], effect[2], effect[3])
            elif kind == "metadata":
                job_state.update_metadata(effect[1])
            elif kind == "pause_point":
                job_state.add_pause_point(effect[1], effect[2], effect[3], **effect[4])
            elif kind == "pause":
                token = current_scope.set(work)  # pausing from "inside" the job: no wait
                try:
                    flow.pause(job_state, effect[1], effect[2])
                finally:
                    current_scope.reset(token)
            elif kind == "cancel":
                flow.cancel(job_state, effect[1])
            else:
                raise RoutiluxError(f"unknown remote effect {kind!r}")
    except Exception as exc:
        error = error or exc
    work.finish(error)
