"""Routine: the static definition of a workflow node.

A Routine declares input slots (each with a handler and a merge strategy) and
output events. It holds no per-execution state: slot merge buffers, routine
states and everything else that changes during a run live in the JobState, so
one routine instance serves any number of concurrent jobs. Static configuration
lives in ``_config`` (`set_config` / `get_config`).

Slots and events have their own modules (`routilux.slot`, which also says how a
handler is called with the delivered data, and `routilux.event`); they are
importable from here too, as in routilux 0.10.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from .context import ExecutionContext, current_job_state, current_scope
from .errors import (
    DefinitionError,
    EventNotFoundError,
    ExecutionContextError,
    SlotNotFoundError,
    UsageError,
    describe,
    with_hint,
)
from .event import Event
from .payload import copy_json
from .records import recorded_by_str
from .slot import MergeStrategy, Slot, extract_input

if TYPE_CHECKING:
    from .error_handling import ErrorHandler, ErrorStrategy
    from .flow import Flow
    from .job_state import JobState

#: The JobState of the handler running in this context (seed API:
#: ``from routilux.routine import _current_job_state``).
_current_job_state: ContextVar[JobState | None] = current_job_state


@recorded_by_str
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
            raise DefinitionError(f"Slot {name!r} already exists in {self!r}")
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
            raise DefinitionError(f"Event {name!r} already exists in {self!r}")
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

    def load_saved(
        self, *, routine_id: str | None = None, config: dict[str, Any] | None = None
    ) -> None:
        """Replace this routine's default id and its whole configuration with saved
        values (what `deserialize` restores; `set_config` merges instead). None
        keeps the current value; `config` is copied."""
        if routine_id is not None:
            self._id = routine_id
        if config is not None:
            self._config = copy_json(config)

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

    def _extract_input_data(self, data: Any = None, **kwargs: Any) -> Any:
        """The value a handler works on, picked as routilux 0.10's helper of this name
        (which its docstrings recommend to handlers) picked it: `data` if given, else
        the ``data`` key, else the only value, else all of them, else ``{}``."""
        return extract_input(data, kwargs)

    def __call__(self, **kwargs: Any) -> None:
        """Does nothing, as in routilux 0.10, where calling a routine was deprecated
        and kept only so that old programs still run: a routine's work is in its
        slot handlers, run by ``flow.execute`` (an entry routine's ``trigger`` slot).
        0.10 gave no warning, so neither does this (programs that record warnings
        print the same)."""

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
        event object-level (`Event.connect`, `Connection`) and to the slots
        `flow.connect` wired it to: `flow`'s, or every flow's (`Slot.receive`).
        """
        scope = current_scope.get()
        if scope is None:
            event = self._require_event(event_name)
            if flow is not None or event.wired or event.flow_links:
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
            raise with_hint(
                ExecutionContextError(
                    "Cannot send output: not in execution context. This method can only be "
                    "called during flow execution."
                ),
                f"{type(self).__name__}.send_output({output_type!r}) was called outside a "
                "running job; call it from a slot handler",
            )
        scope.send_output(self, output_type, data)

    def emit_deferred_event(self, event_name: str, **data: Any) -> None:
        """Store `event_name` with `data`; it is emitted when the job is resumed.

        Outside a running job this is an `ExecutionContextError` (a RuntimeError)
        before the event is looked up, as in 0.10; inside one, an unknown event is an
        error at once (0.10 only warned on resume)."""
        scope = current_scope.get()
        if scope is None:
            raise with_hint(
                ExecutionContextError(
                    "Cannot emit deferred event: not in execution context. This method can "
                    "only be called during flow execution."
                ),
                f"{type(self).__name__}.emit_deferred_event({event_name!r}) was called "
                "outside a running job; call it from a slot handler",
            )
        self._require_event(event_name)
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
            raise with_hint(
                EventNotFoundError(f"Event {event_name!r} does not exist in {self!r}"),
                f"{type(self).__name__} declares {sorted(self._events) or 'no events'}; "
                f"declare it with define_event({event_name!r})",
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

__all__ = ["Event", "MergeStrategy", "Routine", "Slot", "class_key"]
