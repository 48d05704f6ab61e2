"""Connections between an event and a slot, and the routes compiled from them.

A `Connection` made by `Flow.connect` names both ends by routine id and is
compiled into `Route` s, the form the emit path uses. A Connection can also be
made directly between two objects, as in routilux 0.10:
``Connection(routine_a.get_event("out"), routine_b.get_slot("in"), {"x": "y"})``
wires the event to the slot for deliveries outside a flow's jobs (`activate`,
`Event.emit`), which go through the slot's own buffer (`Slot.receive`). Jobs
run by a flow never use that buffer: their slot buffers live in the JobState.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from .payload import copy_json
from .records import SlotActivation, new_activation, recorded_by_str

if TYPE_CHECKING:
    from .flow_graph import FlowGraph
    from .job_state import JobState
    from .routine import Event, Slot


def map_params(mapping: dict[str, str] | None, data: dict[str, Any]) -> dict[str, Any]:
    """`data` renamed by `mapping` ``{event_param: slot_param}``.

    The renamed keys come first; then every key of `data` (a mapped one too,
    under its own name) passes unchanged unless a mapped key took its name (the
    mapped value wins). That is what routilux 0.10 delivers: with ``{"x": "value"}``
    a handler gets both ``value`` and ``x``.
    """
    if not mapping:
        return dict(data)
    targets = set(mapping.values())
    mapped = {target: data[source] for source, target in mapping.items() if source in data}
    for key, value in data.items():
        if key not in targets:
            mapped[key] = value
    return mapped


@recorded_by_str
class Connection:
    """``source event -> target slot``, with an optional `param_mapping`.

    `param_mapping` renames keys on the way (``{event_param: slot_param}``);
    keys it does not mention pass unchanged. `source_event` / `target_slot` are
    the Event and Slot objects; a connection made by `Flow.connect` also has
    `source_routine_id` and `target_routine_id`. A connection can also be
    described by ids alone, ``Connection("a", "out", "b", "in", mapping)``; two
    connections with the same ids and names are equal (and hash equal).
    """

    def __init__(
        self,
        source_event: Event | str | None = None,
        target_slot: Slot | str | None = None,
        param_mapping: dict[str, str] | str | None = None,
        *by_ids: Any,
        source_routine_id: str | None = None,
        target_routine_id: str | None = None,
        flow: FlowGraph | None = None,
    ) -> None:
        event_name: str | None
        slot_name: str | None
        if isinstance(source_event, str):  # (source_id, event, target_id, slot[, mapping])
            source_routine_id, event_name, target_routine_id = (
                source_event,
                str(target_slot),
                str(param_mapping),
            )
            slot_name, param_mapping = by_ids[0], (by_ids[1] if len(by_ids) > 1 else None)
            source_event = target_slot = None
        else:
            event_name = None if source_event is None else source_event.name
            slot_name = None if target_slot is None else target_slot.name  # type: ignore[union-attr]
        self.source_event: Event | None = source_event
        self.target_slot: Slot | None = target_slot  # type: ignore[assignment]
        self.param_mapping: dict[str, str] = dict(param_mapping or {})  # type: ignore[arg-type]
        self.source_routine_id = source_routine_id
        self.target_routine_id = target_routine_id
        self.source_event_name: str | None = event_name
        self.target_slot_name: str | None = slot_name
        self._flow = flow
        if flow is None and self.source_event is not None and self.target_slot is not None:
            self.source_event.connect(self.target_slot)

    def _key(self) -> tuple[Any, ...]:
        if self.source_routine_id is None:
            return (id(self),)
        return (
            self.source_routine_id,
            self.source_event_name,
            self.target_routine_id,
            self.target_slot_name,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Connection):
            return NotImplemented
        return self._key() == other._key() and self.param_mapping == other.param_mapping

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def flow(self) -> FlowGraph | None:
        """The flow whose `Flow.connect` made this connection (None: object-level)."""
        return self._flow

    def apply_mapping(self, data: dict[str, Any]) -> dict[str, Any]:
        """The data as the target slot receives it."""
        return map_params(self.param_mapping, data)

    def activate(self, data: dict[str, Any]) -> None:
        """Deliver `data` (renamed by the mapping) to the target slot now, in this
        thread, outside any job (`Slot.receive`)."""
        if self.target_slot is None:
            from .errors import FlowError

            raise FlowError(f"{self!r} has no target slot; create it with one")
        self.target_slot.receive(self.apply_mapping(data))

    def disconnect(self) -> None:
        """Remove this connection: from its flow if `Flow.connect` made it (the
        event and slot then no longer list each other for it), else the object-level
        link between the event and the slot."""
        if self._flow is not None:
            self._flow.remove_connection(self)
        elif self.source_event is not None and self.target_slot is not None:
            self.source_event.unlink(self.target_slot, None)

    def serialize(self) -> dict[str, Any]:
        """JSON-compatible form with routilux 0.10's keys (plus the routine ids)."""
        data: dict[str, Any] = {"_type": "Connection", "param_mapping": dict(self.param_mapping)}
        if self.source_event is not None:
            data["_source_event_name"] = self.source_event.name
        if self.target_slot is not None:
            data["_target_slot_name"] = self.target_slot.name
        if self.source_routine_id is not None:
            data["_source_routine_id"] = self.source_routine_id
        if self.target_routine_id is not None:
            data["_target_routine_id"] = self.target_routine_id
        return data

    def __repr__(self) -> str:
        return f"Connection[{self.source_event} -> {self.target_slot}]"


@attrs.frozen
class Route:
    """A connection as the emit path uses it: where to queue, how to rename.

    `add_deliveries` turns an emission into one activation per route.
    """

    routine_id: str
    slot_name: str
    mapping: dict[str, str] | None = attrs.field(hash=False)


def make_deliveries(
    routes: tuple[Route, ...], data: dict[str, Any], nested: bool = True
) -> list[SlotActivation]:
    """One new activation per route for `data` just emitted (no seq yet).

    Each activation gets its own copy of `data` when it is `nested` (holds lists or
    dicts), renamed by the route's param_mapping: what one handler does to its data
    no other can see. Plain data (not `nested`: scalar values) is shared, unless
    renamed: a handler that could change the dict itself is given a copy when its
    activation starts (`Slot.passes_dict`), and a merge function a copy to merge.
    """
    added = []
    for route in routes:
        mapping = route.mapping
        if mapping is None:
            payload = copy_json(data) if nested else data
        else:
            source = copy_json(data) if nested else data
            payload = map_params(mapping, source)
        added.append(new_activation(route.routine_id, route.slot_name, payload))
    return added


def add_deliveries(
    job_state: JobState, routes: tuple[Route, ...], data: dict[str, Any], nested: bool = True
) -> list[SlotActivation]:
    """Make one pending activation of `job_state` per route for `data` just emitted
    (`make_deliveries`, then `JobState.add_pending_batch`); call with the job's lock held."""
    return job_state.add_pending_batch(make_deliveries(routes, data, nested))
