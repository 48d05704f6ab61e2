"""Event: an output of a routine, and its object-level wiring (routilux 0.10's).

Inside a job an emission goes through the job (see `Routine.emit`); an event
wired with `Event.connect` also delivers, outside any job, straight to the slots
it is connected to (see `routilux.wiring`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .flow import Flow
    from .routine import Routine
    from .slot import Slot


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
        routine = self.routine  # named by its default id, as `Routine.__repr__` (and 0.10)
        return (
            f"Event[{routine.default_id}.{self.name}]"
            if routine is not None
            else f"Event[{self.name}]"
        )
