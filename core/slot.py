"""Slot: an input of a routine, and how delivered data reaches its handler.

A slot merges what is delivered to it (``override``, ``append`` or a merge
function) and calls its handler with the result. Flows keep each job's merge
buffer in the JobState; the slot's own buffer serves only object-level wiring
(`Slot.receive`, routilux 0.10's way of trying routines out by hand). Kept apart
from `routilux.routine` so that the calling convention below has one home.

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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from .errors import DefinitionError, UsageError, describe
from .payload import copy_json
from .records import recorded_by_str

if TYPE_CHECKING:
    from .event import Event
    from .flow import Flow
    from .job_state import JobState
    from .routine import Routine

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


def handler_call(handler: Callable[..., Any] | None) -> tuple[HandlerCall, bool, bool]:
    """Build the function that calls `handler` with delivered data (see module doc),
    and say whether it may pass the delivered dict itself to `handler` (False: it
    passes keyword arguments, which Python copies into the handler's own ``**kwargs``,
    or nothing), and whether it is ``handler(**data)``. The deliveries of an emit of
    plain data share one dict with the job's history; a slot whose handler may get
    the dict itself (and change it) gets a copy of it (`Slot.passes_dict`)."""
    if handler is None:
        return _no_handler, False, False
    try:
        params = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):  # builtins without a signature: pass the dict
        return (lambda data: handler(data)), True, False
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return (lambda data: handler(**data)), False, True
    named = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if not named:
        if any(p.kind is p.VAR_POSITIONAL for p in params):
            return (lambda data: handler(data)), True, False
        return (lambda data: handler()), False, False
    return _named_call(handler, named), True, False


def _named_call(handler: Callable[..., Any], named: list[str]) -> HandlerCall:
    """The call of a handler with named parameters (see the module doc)."""
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


#: Marks a key not yet in a buffer (None is a value a key can hold).
_MISSING: Any = object()


@recorded_by_str
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
    #: Whether `call` may hand the delivered dict itself to the handler (which could
    #: change it): such a slot's activations get their own copy (`handler_call`).
    passes_dict: bool = attrs.field(init=False)
    #: The handler when it takes ``**kwargs`` (`call` is then ``handler(**data)``), so
    #: that the engine can call it without `call`'s frame; else None.
    kwargs_handler: Callable[..., Any] | None = attrs.field(init=False)
    #: Whether deliveries accumulate in a per-job buffer (not for ``override``).
    buffered: bool = attrs.field(init=False)
    is_async: bool = attrs.field(init=False)
    #: ``(event, owner)`` wired to this slot (see `Event.link`).
    _links: list[tuple[Event, object | None]] = attrs.field(init=False, factory=list)
    #: The merge buffer of `receive`, used only outside a flow's jobs (whose
    #: buffers live in their JobState).
    _data: Any = attrs.field(init=False, factory=dict)
    _receive_lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)
    #: Whether any ``async def`` handler was ever given to a slot in this process: until
    #: then a flow need not look through its slots for one each time it runs a job.
    any_async: ClassVar[bool] = False

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
        self.call, self.passes_dict, by_keywords = handler_call(self.handler)
        self.kwargs_handler = self.handler if by_keywords else None
        self.buffered = self.merge_strategy != "override"
        self.is_async = is_async_callable(self.handler)
        if self.is_async:
            Slot.any_async = True

    def __reduce__(self) -> tuple[Any, ...]:
        # `call` is a closure made from the handler: rebuild it instead of pickling it
        return (
            Slot,
            (self.name, self.routine, self.handler, self.merge_strategy, self.timeout, self.idle),
        )

    def merge(self, old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
        """The buffer after delivering `new` to the buffer `old`.

        ``override``: `new`. ``append``: `old` itself (a new dict if None) with each
        value of `new` appended to its key's list in place, as routilux 0.10 does: the
        lists a handler was given are the buffer's, so one that keeps them sees later
        deliveries arrive. A callable: what it returns for a copy of `old` and `new`.
        """
        strategy = self.merge_strategy
        if strategy == "override":
            return new
        if strategy == "append":
            buffer = {} if old is None else old
            for key, value in new.items():
                values = buffer.get(key, _MISSING)
                if values is _MISSING:
                    buffer[key] = [value]
                elif type(values) is list:
                    values.append(value)
                else:
                    buffer[key] = [values, value]
            return buffer
        result = strategy(dict(old) if old else {}, new)  # type: ignore[operator]
        if not isinstance(result, dict):
            raise TypeError(
                f"merge function of slot {self.name!r} returned {type(result).__name__}; "
                "it must return a dict"
            )
        return result

    def __repr__(self) -> str:
        routine = self.routine  # named by its default id, as `Routine.__repr__` (and 0.10)
        return (
            f"Slot[{routine.default_id}.{self.name}]"
            if routine is not None
            else f"Slot[{self.name}]"
        )

    # ------------------------------------------- object-level wiring (0.10 API)

    @property
    def connected_events(self) -> list[Event]:
        """Every event wired to this slot, object-level or by a flow's `Flow.connect`,
        as routilux 0.10 lists them (a new list; a description, not a route)."""
        return list(dict.fromkeys(event for event, _ in self._links))

    def add_event_link(self, event: Event, owner: object | None) -> None:
        """`Event.link`'s side of the slot: `event` is wired here by `owner`."""
        self._links.append((event, owner))

    def drop_event_link(self, event: Event, owner: object | None) -> None:
        """`Event.unlink`'s side of the slot."""
        for i, (linked, by) in enumerate(self._links):
            if linked is event and by is owner:
                del self._links[i]
                return

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
        self.call(self.merge_received(dict(data)))

    def merge_received(self, new: dict[str, Any]) -> dict[str, Any]:
        """Merge `new` into this slot's own buffer (under its lock, outside any job);
        returns what the handler gets.

        ``override``: `new`; ``append``: each key of `new` with the list of every
        value received for it; a callable: ``strategy(buffer, new)``.
        """
        strategy = self.merge_strategy
        with self._receive_lock:
            buffer = self._data
            if strategy == "append":  # the buffer's own lists, as in a job (see `merge`)
                self.merge(buffer, new)
                return {key: buffer[key] for key in new}
            if callable(strategy):
                result = strategy(dict(buffer), new)
                self._data = dict(result) if isinstance(result, dict) else result
                return result  # type: ignore[no-any-return]
            self._data = dict(new)
            return dict(new)

    def own_buffer(self) -> dict[str, Any]:
        """A copy of this slot's own merge buffer (object-level wiring only; a job's
        buffers are in its JobState)."""
        with self._receive_lock:
            return copy_json(self._data) if isinstance(self._data, dict) else {}

    def restore_buffer(self, buffer: dict[str, Any]) -> None:
        """Replace this slot's own merge buffer with a copy of `buffer` (JSON data,
        as `own_buffer` gave it; used by `Routine.deserialize`)."""
        copied = copy_json(buffer)
        with self._receive_lock:
            self._data = copied

    def serialize(self) -> dict[str, Any]:
        """routilux 0.10's form: ``_type``, ``name``, ``handler``, ``merge_strategy``, ``_data``."""
        from .routine_data import slot_to_data

        return slot_to_data(self)


def extract_input(data: Any, received: dict[str, Any]) -> Any:
    """The value a built-in routine works on, chosen as routilux 0.10 chose it.

    `data` if the handler got it (not None); else the ``data`` key; else the
    only value received; else everything received as a dict; else ``{}``.
    This lets an upstream event carry the input under any single key.
    """
    if data is not None:
        return data
    if "data" in received:
        return received["data"]
    if len(received) == 1:
        return next(iter(received.values()))
    if received:
        return received
    return {}
