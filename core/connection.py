"""Connections between an event and a slot, and the routes compiled from them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from .records import SlotActivation

if TYPE_CHECKING:
    from .job_state import JobState


@attrs.frozen
class Connection:
    """``source_routine_id.source_event -> target_routine_id.target_slot``.

    `param_mapping` renames keys on the way (``{event_param: slot_param}``);
    keys it does not mention pass unchanged.
    """

    source_routine_id: str
    source_event: str
    target_routine_id: str
    target_slot: str
    #: Not part of the hash (a dict is not hashable); equal connections still hash equal.
    param_mapping: dict[str, str] = attrs.field(factory=dict, hash=False)

    def apply_mapping(self, data: dict[str, Any]) -> dict[str, Any]:
        """The data as the target slot receives it."""
        mapping = self.param_mapping
        if not mapping:
            return dict(data)
        return {mapping.get(key, key): value for key, value in data.items()}

    def __str__(self) -> str:
        return (
            f"{self.source_routine_id}.{self.source_event} -> "
            f"{self.target_routine_id}.{self.target_slot}"
        )


@attrs.frozen
class Route:
    """A connection as the emit path uses it: where to queue, how to rename.

    `add_deliveries` turns an emission into one activation per route.
    """

    routine_id: str
    slot_name: str
    mapping: dict[str, str] | None = attrs.field(hash=False)


def add_deliveries(
    job_state: JobState, routes: tuple[Route, ...], data: dict[str, Any]
) -> list[SlotActivation]:
    """Make one pending activation of `job_state` per route for `data` just emitted.

    Call with the job's lock held. Each activation gets a shallow copy of `data`,
    renamed by the route's param_mapping. This is the emit path, hence one
    `JobState.add_pending_batch` for all of them.
    """
    added = []
    for route in routes:
        mapping = route.mapping
        if mapping is None:
            payload = dict(data)
        else:
            payload = {mapping.get(key, key): value for key, value in data.items()}
        added.append(SlotActivation(route.routine_id, route.slot_name, payload))
    return job_state.add_pending_batch(added)
