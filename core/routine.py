"""Routine, Slot and Event: the static definition of a workflow node.

A Routine declares input slots (each with a handler and a merge strategy) and
output events. It holds no per-execution state: slot merge buffers, routine
states and everything else that changes during a run live in the JobState, so
one routine instance serves any number of concurrent jobs. Static configuration
lives in ``_config`` (`set_config` / `get_config`).

How a handler receives the data delivered to its slot (decided once, when the
slot is defined, from the handler's signature):

* a ``**kwargs`` parameter: every key is passed as a keyword argument (named
  parameters next to it take their keys as usual);
* a single parameter named ``data``, or a single parameter whose name is not a
  key of the delivered data: it receives the whole dict;
* a single parameter whose name is a key: it receives that key's value;
* several named parameters: each receives the key of its name if present
  (missing keys fall back to the parameter's default); if none is present,
  the whole dict is passed as the first argument (as routilux 0.10 does);
* no parameters: called with nothing.
"""

from __future__ import annotations

import inspect
import threading
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from .context import ExecutionContext, current_job_state, current_scope
from .errors import (
    DefinitionError,
    EventNotFoundError,
    ExecutionContextError,
    SlotNotFoundError,
    UsageError,
    describe,
)

if TYPE_CHECKING:
    from .error_handling import ErrorHandler, ErrorStrategy
    from .flow import Flow
    from .job_state import JobState

#: The JobState of the handler running in this context (seed API:
#: ``from routilux.routine import _current_job_state``).
_current_job_state: ContextVar[JobState | None] = current_job_state

MergeStrategy = str | Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]
HandlerCall = Callable[[dict[str, Any]], Any]


def _no_handler(data: dict[str, Any]) -> None:
    return None


def is_async_callable(handler: Any) -> bool:
    """Whether calling `handler` returns a coroutine to await (``async def``, a
    partial of one, or an object with an ``async def __call__``)."""
    if handler is None:
        return False
    if inspect.iscoroutinefunction(handler):
        return True
    if inspect.isroutine(handler) or isinstance(handler, type):
        return False
    return inspect.iscoroutinefunction(getattr(handler, "__call__", None))  # noqa: B004


def make_handler_call(handler: Callable[..., Any] | None) -> HandlerCall:
    """Build the function that calls `handler` with delivered data (see module doc)."""
    if handler is None:
        return _no_handler
    try:
        params = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):  # builtins without a signature: pass the dict
        return lambda data: handler(data)
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return lambda data: handler(**data)
    named = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if not named:
        if any(p.kind is p.VAR_POSITIONAL for p in params):
            return lambda data: handler(data)
        return lambda data: handler()
    if len(named) == 1:
        (name,) = named
        if name == "data":
            return lambda data: handler(data)

        def call_single(data: dict[str, Any]) -> Any:
            if name in data:
                return handler(data[name])
            return handler(data)

        return call_single
    names = tuple(named)

    def call_named(data: dict[str, Any]) -> Any:
        matched = {n: data[n] for n in names if n in data}
        return handler(**matched) if matched else handler(data)

    return call_named


@attrs.define(eq=False, repr=False, on_setattr=attrs.setters.NO_OP)
class Slot:
    """An input of a routine: delivered data is merged, then passed to the handler.

    `merge_strategy` is ``"override"`` (the new data replaces the buffer),
    ``"append"`` (each key accumulates a list) or a callable
    ``(old, new) -> merged``. The buffer belongs to the job, not to the slot.
    `timeout` (seconds) bounds one handler call; None means no limit.
    `is_async` tells an ``async def`` handler (run only by executors that await
    coroutines, such as ``asyncio``).
    """

    name: str = ""
    routine: Routine | None = None
    handler: Callable[..., Any] | None = None
    merge_strategy: MergeStrategy = "override"
    timeout: float | None = None
    #: An idle slot receives no deliveries: it is activated once per job, with no
    #: data, when the job has no other work left (see `Routine.define_slot`).
    idle: bool = False
    call: HandlerCall = attrs.field(init=False)
    #: Whether deliveries accumulate in a per-job buffer (not for ``override``).
    buffered: bool = attrs.field(init=False)
    is_async: bool = attrs.field(init=False)
    #: Events wired to this slot object-level (`connect`); flows do not use them.
    connected_events: list[Event] = attrs.field(init=False, factory=list)
    #: The merge buffer of `receive`, used only outside a flow's jobs (whose
    #: buffers live in their JobState).
    _data: Any = attrs.field(init=False, factory=dict)
    _receive_lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)

    def __attrs_post_init__(self) -> None:
        owner = type(self.routine).__name__ if self.routine is not None else "Slot"
        if not isinstance(self.name, str) or not self.name:
            raise UsageError(
                f"{owner}.define_slot(): the slot name must be a non-empty str, not "
                f"{type(self.name).__name__} {describe(self.name)}"
            )
        if self.handler is not None and not callable(self.handler):
            raise UsageError(
                f"slot {self.name!r} of {owner}: handler must be a callable (a method or "
                f"function) or None, not {type(self.handler).__name__} {describe(self.handler)}"
            )
        if self.timeout is not None:
            if type(self.timeout) not in (int, float):
                raise UsageError(
                    f"slot {self.name!r} of {owner}: timeout must be a number of seconds "
                    f"(int or float) or None, not {type(self.timeout).__name__} "
                    f"{describe(self.timeout)}"
                )
            if not self.timeout > 0:
                raise DefinitionError(
                    f"slot {self.name!r} of {owner}: timeout must be a positive number of "
                    f"seconds, not {self.timeout!r}"
                )
        if not (self.merge_strategy in ("override", "append") or callable(self.merge_strategy)):
            raise DefinitionError(
                f"slot {self.name!r}: merge_strategy must be 'override', 'append' or a "
                f"callable (old, new) -> merged, not {self.merge_strategy!r}"
            )
        self.call = make_handler_call(self.handler)
        self.buffered = self.merge_strategy != "override"
        self.is_async = is_async_callable(self.handler)

    def __reduce__(self) -> tuple[Any, ...]:
        # `call` is a closure made from the handler: rebuild it instead of pickling it
        return (
            Slot,
            (self.name, self.routine, self.handler, self.merge_strategy, self.timeout, self.idle),
        )

    def merge(self, old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
        """The new buffer content after delivering `new` (`old` is not modified)."""
        strategy = self.merge_strategy
        if strategy == "override":
            return new
        if strategy == "append":
            merged = dict(old) if old else {}
            for key, value in new.items():
                previous = merged.get(key)
                if previous is None and key not in merged:
                    merged[key] = [value]
                elif isinstance(previous, list):
                    merged[key] = [*previous, value]
                else:
                    merged[key] = [previous, value]
            return merged
        result = strategy(dict(old) if old else {}, new)  # type: ignore[operator]
        if not isinstance(result, dict):
            raise TypeError(
                f"merge function of slot {self.name!r} returned {type(result).__name__}; "
                "it must return a dict"
            )
        return result

    def __repr__(self) -> str:
        owner = type(self.routine).__name__ if self.routine is not None else "?"
        return f"Slot[{owner}.{self.name}]"

    # ------------------------------------------- object-level wiring (0.10 API)

    def connect(self, event: Event, param_mapping: dict[str, str] | None = None) -> None:
        """Wire `event` to this slot object-level (see `Event.connect`)."""
        event.connect(self, param_mapping)

    def disconnect(self, event: Event) -> None:
        """Undo `connect`."""
        event.disconnect(self)

    def receive(
        self, data: dict[str, Any], job_state: JobState | None = None, flow: Flow | None = None
    ) -> None:
        """Merge `data` into this slot's own buffer and call the handler now, in this
        thread (outside any job; see `routilux.wiring`). A handler error is logged,
        and recorded in `job_state` (with `flow`) when given, not raised."""
        from .wiring import receive

        receive(self, data, job_state, flow)

    def call_handler(self, data: dict[str, Any], propagate_exceptions: bool = False) -> None:
        """Merge `data` and call the handler now; its error is raised only with
        `propagate_exceptions`, else logged (as `receive`)."""
        if not propagate_exceptions:
            self.receive(data)
            return
        from .wiring import merge_received

        with self._receive_lock:
            merged = merge_received(self, dict(data))
        self.call(merged)

    def serialize(self) -> dict[str, Any]:
        """routilux 0.10's form: ``_type``, ``name``, ``handler``, ``merge_strategy``, ``_data``."""
        from .routine_data import slot_to_data

        return slot_to_data(self)


@attrs.define(eq=False, repr=False, on_setattr=attrs.setters.NO_OP)
class Event:
    """An output of a routine; `params` documents the keys it emits."""

    name: str = ""
    routine: Routine | None = None
    params: list[str] = attrs.field(factory=list)
    #: The routine's own slot this event is also delivered to (see `define_event`).
    loop_to: str | None = None
    #: Slots wired to this event object-level (`connect`); flows do not use them.
    connected_slots: list[Slot] = attrs.field(init=False, factory=list)
    #: Whether the event was ever wired object-level: emitting it outside a job
    #: then goes to what is connected now, even nothing (as in routilux 0.10).
    wired: bool = attrs.field(init=False, default=False)

    @property
    def output_params(self) -> list[str]:
        """The seed API's name for `params`."""
        return self.params

    def connect(self, slot: Slot, param_mapping: dict[str, str] | None = None) -> None:
        """Wire this event to `slot` object-level, for emissions outside a flow's jobs.

        As in routilux 0.10, `param_mapping` is not applied here (a `Connection`
        applies its own); use ``Connection(event, slot, mapping)`` to rename keys.
        """
        self.wired = True
        if slot not in self.connected_slots:
            self.connected_slots.append(slot)
        if self not in slot.connected_events:
            slot.connected_events.append(self)

    def disconnect(self, slot: Slot) -> None:
        """Undo `connect`."""
        if slot in self.connected_slots:
            self.connected_slots.remove(slot)
        if self in slot.connected_events:
            slot.connected_events.remove(self)

    def emit(self, flow: Flow | None = None, **data: Any) -> None:
        """Emit this event: inside a handler, as ``routine.emit(name, **data)``; outside
        a job, to the object-level connected slots (and `flow`'s connections)."""
        if self.routine is not None:
            self.routine.emit(self.name, flow=flow, **data)
            return
        for slot in list(self.connected_slots):
            slot.receive(dict(data))

    def serialize(self) -> dict[str, Any]:
        """routilux 0.10's form: ``_type``, ``name``, ``output_params``."""
        return {"_type": "Event", "name": self.name, "output_params": list(self.params)}

    def __repr__(self) -> str:
        owner = type(self.routine).__name__ if self.routine is not None else "?"
        return f"Event[{owner}.{self.name}]"


class Routine:
    """Base class of workflow nodes.

    Subclasses define slots and events in ``__init__`` (after ``super().__init__()``)
    and keep static settings in ``_config``. A subclass whose ``__init__`` takes no
    required arguments can be rebuilt by `Flow.deserialize`; one that needs
    arguments overrides `from_config`.
    """

    #: Routine subclasses imported in this process, by ``module:qualname``. Flow
    #: deserialization looks classes up here and never imports a module itself.
    _classes: ClassVar[dict[str, type[Routine]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        key = class_key(cls)
        Routine._classes.pop(key, None)  # a redefinition counts as the newest
        Routine._classes[key] = cls

    @staticmethod
    def class_named(key: str) -> type[Routine] | None:
        """The Routine subclass imported in this process as ``module:qualname``, or None
        (never imports: what a stored flow names must already be defined)."""
        return Routine._classes.get(key)

    @staticmethod
    def imported_classes() -> list[type[Routine]]:
        """Every Routine subclass imported in this process (see `class_named`)."""
        return list(Routine._classes.values())

    def __init__(self) -> None:
        self._id: str = hex(id(self))
        self._config: dict[str, Any] = {}
        self._slots: dict[str, Slot] = {}
        self._events: dict[str, Event] = {}
        self._error_handler: ErrorHandler | None = None
        #: The registered plugin name this routine was built from, if any (a spec
        #: names it as ``type``; set by `build_registered_routine`).
        self.registered_name: str | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}[{self._id}]"

    @property
    def default_id(self) -> str:
        """The id `Flow.add_routine` gives this routine when called without one."""
        return self._id

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Routine:
        """Build an instance with `config` as its ``_config`` (used to rebuild flows)."""
        routine = cls()
        routine.set_config(**config)
        return routine

    # ------------------------------------------------------------- definition

    def define_slot(
        self,
        name: str,
        handler: Callable[..., Any] | None = None,
        merge_strategy: MergeStrategy = "override",
        timeout: float | None = None,
        idle: bool = False,
    ) -> Slot:
        """Declare an input slot; see the module docstring for how `handler` is called.

        With ``idle=True`` the slot is not connected to events: it is activated
        once per job, with no data, when the job has nothing else queued or
        running — the moment upstream has ended, whatever the execution
        strategy. Routines that collect items (fan-in, batches, files) emit or
        write what they hold there. When several routines have idle slots, they
        are activated one at a time, upstream first, each after the work the
        previous one caused has finished.
        """
        if isinstance(name, str) and name in self._slots:
            raise DefinitionError(f"{type(self).__name__} already has a slot named {name!r}")
        slot = Slot(name, self, handler, merge_strategy, timeout, idle)
        self._slots[name] = slot
        return slot

    def define_event(
        self, name: str, params: list[str] | None = None, *, loop_to: str | None = None
    ) -> Event:
        """Declare an output event; `params` lists the keys it carries (documentation).

        With ``loop_to``, the event is also delivered to this routine's own slot of
        that name, in every flow it is in, without a connection: how a routine works
        in steps (a reader reads a chunk, emits it, then asks for the next) so that
        the work its emits cause runs in between and memory stays bounded.
        """
        if not isinstance(name, str) or not name:
            raise UsageError(
                f"{type(self).__name__}.define_event(): the event name must be a non-empty "
                f"str, not {type(name).__name__} {describe(name)}"
            )
        if params is not None and (
            not isinstance(params, (list, tuple)) or not all(isinstance(p, str) for p in params)
        ):
            raise UsageError(
                f"{type(self).__name__}.define_event({name!r}): params must be a list of "
                f"key names (str), not {describe(params)}"
            )
        if name in self._events:
            raise DefinitionError(f"{type(self).__name__} already has an event named {name!r}")
        if loop_to is not None:
            slot = self._slots.get(loop_to)
            if slot is None or slot.idle:
                raise DefinitionError(
                    f"{type(self).__name__}.define_event({name!r}, loop_to={loop_to!r}): "
                    "define that (non-idle) slot first"
                )
        event = Event(name, self, list(params or []), loop_to)
        self._events[name] = event
        return event

    def get_slot(self, name: str) -> Slot | None:
        """The slot called `name`, or None."""
        return self._slots.get(name)

    def get_event(self, name: str) -> Event | None:
        """The event called `name`, or None."""
        return self._events.get(name)

    @property
    def slots(self) -> dict[str, Slot]:
        """The declared slots by name."""
        return dict(self._slots)

    @property
    def events(self) -> dict[str, Event]:
        """The declared events by name."""
        return dict(self._events)

    # ---------------------------------------------------------- configuration

    def set_config(self, **kwargs: Any) -> None:
        """Store static configuration (serialized with the flow)."""
        self._config.update(kwargs)

    def get_config(self, key: str, default: Any = None) -> Any:
        """A configuration value, or `default`."""
        return self._config.get(key, default)

    def config(self) -> dict[str, Any]:
        """A copy of the configuration."""
        return dict(self._config)

    def set_error_handler(self, error_handler: ErrorHandler | None) -> None:
        """Handle this routine's errors with `error_handler` (overrides the flow's)."""
        from .error_handling import check_error_handler

        where = f"{type(self).__name__}.set_error_handler()"
        self._error_handler = check_error_handler(error_handler, where)

    def get_error_handler(self) -> ErrorHandler | None:
        """The routine's own error handler, or None."""
        return self._error_handler

    def set_as_optional(self, strategy: ErrorStrategy | str | None = None) -> None:
        """Tolerate this routine's failures (CONTINUE, or SKIP if given)."""
        from .error_handling import ErrorHandler

        self.set_error_handler(ErrorHandler(strategy=strategy or "continue"))

    def set_as_critical(
        self, max_retries: int = 3, retry_delay: float = 1.0, retry_backoff: float = 2.0
    ) -> None:
        """Retry this routine on failure; the job fails if every retry fails."""
        from .error_handling import ErrorHandler

        self.set_error_handler(
            ErrorHandler(
                strategy="retry",
                max_retries=max_retries,
                retry_delay=retry_delay,
                retry_backoff=retry_backoff,
                is_critical=True,
            )
        )

    # -------------------------------------------------------------- execution

    def emit(self, event_name: str, flow: Flow | None = None, **data: Any) -> None:
        """Send `data` through `event_name` to every connected slot of this job.

        In a handler the emission goes to this job (and is recorded in its
        history); `flow` (routilux 0.10's keyword, never part of the data) is then
        not needed. Outside a job, the data goes at once to the slots wired to the
        event object-level (`Event.connect`, `Connection`) and, with `flow`, to the
        slots `flow.connect` wired it to (`Slot.receive`).
        """
        scope = current_scope.get()
        if scope is None:
            event = self._require_event(event_name)
            if flow is not None or event.wired:
                from .wiring import emit_outside_job

                emit_outside_job(self, event, flow, data)
                return
            # Nothing to deliver to: nothing happens, as in routilux 0.10 (a handler
            # called by hand, in a test, may emit), but say so.
            warnings.warn(
                f"{type(self).__name__}.emit({event_name!r}) was called outside a running "
                "job with nothing connected to the event: nothing was delivered; emit from "
                "a slot handler while the flow executes",
                RuntimeWarning,
                stacklevel=2,
            )
            return
        scope.emit(self, event_name, data)

    def send_output(self, output_type: str, **data: Any) -> None:
        """Send execution-specific output to this job's output handler (and output_log)."""
        scope = current_scope.get()
        if scope is None:
            raise ExecutionContextError(
                f"{type(self).__name__}.send_output({output_type!r}) was called outside a "
                "running job; call it from a slot handler"
            )
        scope.send_output(self, output_type, data)

    def emit_deferred_event(self, event_name: str, **data: Any) -> None:
        """Store `event_name` with `data`; it is emitted when the job is resumed."""
        self._require_event(event_name)
        scope = current_scope.get()
        if scope is None:
            raise ExecutionContextError(
                f"{type(self).__name__}.emit_deferred_event({event_name!r}) was called "
                "outside a running job; call it from a slot handler"
            )
        scope.defer(self, event_name, data)

    def pause_for_input(
        self,
        event_name: str,
        data: dict[str, Any] | None = None,
        *,
        prompt: str = "",
        fields: list[str] | tuple[str, ...] = (),
        pause_id: str | None = None,
    ) -> None:
        """Wait for a human (or another system) on this branch of the job only.

        Records a named pause point (id `pause_id`, default: this routine's id)
        with `prompt` and the `fields` its answer must hold. The job's other
        branches run on; once nothing else can run the job is ``paused``.
        ``flow.resume(job, answers={pause_id: {...}})`` then emits `event_name`
        with `data` plus the answer.
        """
        self._require_event(event_name)
        if isinstance(fields, str) or not all(isinstance(f, str) for f in fields):
            raise DefinitionError(
                f"{type(self).__name__}.pause_for_input({event_name!r}): fields must be a list "
                f"of field names, got {fields!r}"
            )
        scope = current_scope.get()
        if scope is None:
            raise ExecutionContextError(
                f"{type(self).__name__}.pause_for_input({event_name!r}) was called outside a "
                "running job; call it from a slot handler"
            )
        ctx = scope.context_for(self)
        if ctx is None:
            raise ExecutionContextError(
                f"{type(self).__name__} is not part of the running flow; add it with add_routine"
            )
        ctx.job_state.add_pause_point(
            ctx.routine_id,
            event_name,
            dict(data or {}),
            prompt=str(prompt),
            fields=list(fields),
            pause_id=pause_id,
        )

    def get_execution_context(self) -> ExecutionContext | None:
        """``ExecutionContext(flow, job_state, routine_id)`` inside a handler, else None."""
        scope = current_scope.get()
        if scope is None:
            return None
        return scope.context_for(self)

    # ---------------------------------------------------------- serialization

    def serialize(self) -> dict[str, Any]:
        """This routine as routilux 0.10 serialized it: ``_type`` (class name), ``_id``,
        ``_config``, ``_error_handler``, ``_slots``, ``_events``. See
        `routilux.routine_data`."""
        from .routine_data import routine_to_data

        return routine_to_data(self)

    def deserialize(self, data: dict[str, Any], registry: Any = None) -> Routine:
        """Take back `serialize` output (0.10's too) onto this instance; returns self.

        Slots the class defines keep their handlers; others are rebuilt with the
        handler the data names if it is a method of this class or a function of
        the calling module (nothing is imported). `registry` (0.10's) is ignored.
        """
        import sys

        from .routine_data import restore_routine

        # sys._getframe is the standard library's, not another module's private name
        caller = sys._getframe(1).f_globals.get("__name__", "__main__")  # noqa: SLF001
        restore_routine(self, data, (caller, "__main__"))
        return self

    def _require_event(self, event_name: str) -> Event:
        event = self._events.get(event_name)
        if event is None:
            raise EventNotFoundError(
                f"{type(self).__name__} has no event {event_name!r} (declared: "
                f"{sorted(self._events) or 'none'}); declare it with define_event({event_name!r})"
            )
        return event

    def _require_slot(self, slot_name: str) -> Slot:
        slot = self._slots.get(slot_name)
        if slot is None:
            raise SlotNotFoundError(
                f"{type(self).__name__} has no slot {slot_name!r} (declared: "
                f"{sorted(self._slots) or 'none'})"
            )
        return slot


def class_key(cls: type) -> str:
    """The key a routine class is known by in serialized flows: ``module:qualname``."""
    return f"{cls.__module__}:{cls.__qualname__}"


# the base class registers itself (__init_subclass__ runs for subclasses only)
Routine._classes[class_key(Routine)] = Routine  # noqa: SLF001
