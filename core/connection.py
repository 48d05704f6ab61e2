"""Connections between an event and a slot, and the routes compiled from them."""

from __future__ import annotations

from typing import Any

import attrs


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
    param_mapping: dict[str, str] = attrs.field(factory=dict)

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

    `JobState._add_deliveries` turns an emission into one activation per route.
    """

    routine_id: str
    slot_name: str
    mapping: dict[str, str] | None
