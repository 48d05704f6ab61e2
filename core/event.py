"""Event: an output of a routine, and its object-level wiring (routilux 0.10's).

Inside a job an emission goes through the job (see `Routine.emit`); an event
wired with `Event.connect` also delivers, outside any job, straight to the slots
it is connected to (see `routilux.wiring`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from .records import recorded_by_str

if TYPE_CHECKING:
    from .flow import Flow
    from .routine import Routine
    from .slot import Slot


@recorded_by_str
@attrs.define(eq=False, repr=False, on_setattr=attrs.setters.NO_OP)
class Event:
    """An output of a routine; `params` documents the keys it emits."""

    name: str = ""
    routine: Routine | None = None
    params: list[str] = attrs.field(factory=list)
    #: The routine's own slot this event is also delivered to (see `define_event`).
    loop_to: str | None = None
    #: What this event is wired to: ``(slot, owner)``, where owner is None for an
    #: object-level link (`connect`) and the `Connection` for one `Flow.connect` made.
    _links: list[tuple[Slot, object | None]] = attrs.field(init=False, factory=list)
    #: Whether the event was ever wired object-level: emitting it outside a job
    #: then goes to what is connected now, even nothing (as in routilux 0.10).
    wired: bool = attrs.field(init=False, default=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # the links name other routines (and flows): a pickled routine travels alone
        return (Event, (self.name, self.routine, self.params, self.loop_to))

    @property
    def output_params(self) -> list[str]:
        """The seed API's name for `params`."""
        return self.params

    @property
    def connected_slots(self) -> list[Slot]:
        """Every slot this event is wired to, as routilux 0.10 lists them: by
        `connect` and by the flows' `Flow.connect` (a new list, in wiring order).

        It describes the wiring; a flow's jobs are routed by the flow, never
        through this list.
        """
        return list(dict.fromkeys(slot for slot, _ in self._links))

    @property
    def wired_slots(self) -> list[Slot]:
        """The slots wired object-level (`connect`, ``Connection(event, slot)``): where
        an emission outside any job goes."""
        return list(dict.fromkeys(slot for slot, owner in self._links if owner is None))

    @property
    def flow_links(self) -> list[tuple[Slot, Any]]:
        """``(slot, connection)`` for each `Flow.connect` wiring of this event, in order."""
        return [(slot, owner) for slot, owner in self._links if owner is not None]

    def link(self, slot: Slot, owner: object | None = None) -> None:
        """Record that `owner` (None: object-level) wires this event to `slot`, on both
        sides (`connected_slots`, ``slot.connected_events``)."""
        self._links.append((slot, owner))
        slot.add_event_link(self, owner)

    def unlink(self, slot: Slot, owner: object | None = None) -> None:
        """Forget the link `link` recorded for `slot` and `owner`, on both sides."""
        for i, (linked, by) in enumerate(self._links):
            if linked is slot and by is owner:
                del self._links[i]
                break
        slot.drop_event_link(self, owner)

    def connect(self, slot: Slot, param_mapping: dict[str, str] | None = None) -> None:
        """Wire this event to `slot` object-level, for emissions outside a flow's jobs.

        As in routilux 0.10, `param_mapping` is not applied here (a `Connection`
        applies its own); use ``Connection(event, slot, mapping)`` to rename keys.
        """
        self.wired = True
        if slot not in self.wired_slots:
            self.link(slot, None)

    def disconnect(self, slot: Slot) -> None:
        """Undo the wiring of this event to `slot`: the object-level link and, as in
        routilux 0.10, the flows' connections between the two (`Connection.disconnect`)."""
        for linked, owner in list(self._links):
            if linked is not slot:
                continue
            if owner is None:
                self.unlink(slot, None)
            else:  # a flow's Connection: it leaves its flow, which unlinks it
                owner.disconnect()  # type: ignore[attr-defined]

    def emit(self, flow: Flow | None = None, **data: Any) -> None:
        """Emit this event: inside a handler, as ``routine.emit(name, **data)`` but not
        recorded in the job's history (as in routilux 0.10, where only `Routine.emit`
        recorded); outside a job, to the object-level connected slots (and `flow`'s
        connections)."""
        if self.routine is not None:
            from .context import current_scope

            scope = current_scope.get()
            if scope is None:
                self.routine.emit(self.name, flow=flow, **data)
            else:
                scope.emit(self.routine, self.name, data, record=False)
            return
        for slot in self.wired_slots:
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
