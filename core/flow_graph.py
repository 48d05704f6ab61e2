"""FlowGraph: a flow's structure: routines by id, connections, and the routes emits follow.

`Flow` is a FlowGraph that also runs jobs; this module holds only the static
wiring, kept apart so that how a flow is built (in time linear in its size:
`connect` appends a route, lookups are cached) reads on its own. Nothing here
starts, stores or waits for a job.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .connection import Connection, Route
from .errors import (
    DuplicateRoutineError,
    FlowError,
    RoutineNotFoundError,
    missing_member,
    unknown_event,
    with_hint,
)
from .flow_options import check_connect_arguments
from .routine import Routine

if TYPE_CHECKING:
    from .error_handling import ErrorHandler
    from .slot import Slot


class FlowGraph:
    """Routines by id and the connections between them (the base of `Flow`).

    Routes, the per-``(routine_id, event)`` view of the connections that emits
    use, are kept up to date as the flow is built: `connect` appends one, and
    `routes_from` caches them as tuples.
    """

    #: The flow's id (set by `Flow`); messages name it.
    flow_id: str

    def __init__(self) -> None:
        self._routines: dict[str, Routine] = {}
        self._ids: dict[int, str] = {}
        self._connections: list[Connection] = []
        #: The routes of each ``(routine_id, event)`` in connection order: `connect`
        #: appends (O(1)); `route_table` caches them as tuples for the emit path.
        self._route_lists: dict[tuple[str, str], list[Route]] = {}
        #: Read (never written) by the emit path, which calls `routes_from` on a miss.
        self.route_table: dict[tuple[str, str], tuple[Route, ...]] = {}
        #: ``(routine_id, event, target_id, slot)`` of every route: a connection made
        #: twice is found in O(1) (it delivers once).
        self._route_keys: set[tuple[str, str, str, str]] = set()
        self._routes_lock = threading.Lock()
        #: `idle_slots`, computed on first use after the structure changed.
        self._idle_cache: tuple[tuple[str, str], ...] | None = ()
        #: ``(routine, slot)`` by ``(routine_id, slot_name)``, for every slot activated
        #: so far (`slot_target`): a flow never removes or replaces a routine, nor a
        #: routine a slot, so an entry never goes stale.
        self.slot_targets: dict[tuple[str, str], tuple[Routine, Slot]] = {}

    @property
    def routines(self) -> Mapping[str, Routine]:
        """The routines by id (read-only)."""
        return MappingProxyType(self._routines)

    @property
    def connections(self) -> list[Connection]:
        """The connections, in the order they were made."""
        return list(self._connections)

    def add_routine(
        self,
        routine: Routine | str,
        routine_id: str | None = None,
        *,
        config: dict[str, Any] | None = None,
        error_handler: ErrorHandler | None = None,
    ) -> str:
        """Add a routine instance, or build a registered one by name; returns its id.

        ``flow.add_routine("text.clip", "clipper", config={"max_len": 80})``.
        """
        if isinstance(routine, str):
            from .routine_config import build_registered_routine

            routine = build_registered_routine(routine, config or {}, path=routine_id or routine)
        elif config:
            routine.set_config(**config)
        if not isinstance(routine, Routine):
            raise FlowError(f"add_routine expects a Routine or a registered name, got {routine!r}")
        rid = routine.default_id if routine_id is None else routine_id
        if not isinstance(rid, str) or not rid:
            raise FlowError(f"routine id must be a non-empty str, not {rid!r}")
        if rid in self._routines:
            raise with_hint(
                DuplicateRoutineError(f"Routine ID {rid!r} already exists in flow"),
                f"flow {self.flow_id!r} already has a routine with id {rid!r}; choose another id",
            )
        if id(routine) in self._ids:
            raise DuplicateRoutineError(
                f"this {type(routine).__name__} instance is already in flow {self.flow_id!r} "
                f"as {self._ids[id(routine)]!r}; add a new instance for {rid!r}"
            )
        self._check_routine(rid, routine)
        if error_handler is not None:
            from .error_handling import check_error_handler

            routine.set_error_handler(check_error_handler(error_handler, f"add_routine({rid!r})"))
        self._routines[rid] = routine
        self._ids[id(routine)] = rid
        with self._routes_lock:
            for event in routine.events.values():
                if event.loop_to is not None:  # the routine's own loop (see define_event)
                    self._route_lists.setdefault((rid, event.name), []).insert(
                        0, Route(rid, event.loop_to, None)
                    )
                    self._route_keys.add((rid, event.name, rid, event.loop_to))
                    self.route_table.pop((rid, event.name), None)
        self._idle_cache = None
        return rid

    def connect(
        self,
        source_routine_id: str,
        source_event: str,
        target_routine_id: str,
        target_slot: str,
        param_mapping: dict[str, str] | None = None,
    ) -> Connection:
        """Wire ``source.event -> target.slot``; `param_mapping` renames keys."""
        check_connect_arguments(
            source_routine_id, source_event, target_routine_id, target_slot, param_mapping
        )
        source = self.require_routine(source_routine_id, "source")
        if source.get_event(source_event) is None:
            raise missing_member(
                "event", source_event, source_routine_id, source.events, "define_event"
            )
        target = self.require_routine(target_routine_id, "target")
        slot = target.get_slot(target_slot)
        if slot is None:
            raise missing_member(
                "slot", target_slot, target_routine_id, target.slots, "define_slot"
            )
        if slot.idle:
            raise FlowError(
                f"slot {target_routine_id}.{target_slot} is an idle slot (activated when the "
                "job has no other work) and cannot be connected; connect another slot"
            )
        mapping = dict(param_mapping or {})
        for key, value in mapping.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise FlowError(
                    f"param_mapping of {source_routine_id}.{source_event} -> "
                    f"{target_routine_id}.{target_slot} must map str to str, got {key!r}: {value!r}"
                )
        connection = Connection(
            source.get_event(source_event),
            slot,
            mapping,
            source_routine_id=source_routine_id,
            target_routine_id=target_routine_id,
            flow=self,
        )
        self._connections.append(connection)
        connection.source_event.link(slot, connection)  # type: ignore[union-attr]
        source_key = (source_routine_id, source_event)
        with self._routes_lock:
            # the same event -> slot twice delivers once (the first mapping), as in 0.10
            route_key = (*source_key, target_routine_id, target_slot)
            if route_key not in self._route_keys:
                self._route_keys.add(route_key)
                self._route_lists.setdefault(source_key, []).append(
                    Route(target_routine_id, target_slot, dict(mapping) if mapping else None)
                )
            self.route_table.pop(source_key, None)  # made again by the next routes_from
        self._idle_cache = None
        return connection

    def remove_connection(self, connection: Connection) -> None:
        """Drop `connection` (`Connection.disconnect`); jobs started later no longer use it."""
        if connection not in self._connections:
            return
        # this very object if it is here, else the first equal one (same ids)
        removed = next((c for c in self._connections if c is connection), None)
        if removed is None:
            removed = self._connections[self._connections.index(connection)]
        self._connections = [c for c in self._connections if c is not removed]
        if removed.source_event is not None and removed.target_slot is not None:
            removed.source_event.unlink(removed.target_slot, removed)
        with self._routes_lock:
            lists: dict[tuple[str, str], list[Route]] = {}
            keys: set[tuple[str, str, str, str]] = set()
            for rid, routine in self._routines.items():  # the routines' own loops first
                for event in routine.events.values():
                    if event.loop_to is not None:
                        lists[(rid, event.name)] = [Route(rid, event.loop_to, None)]
                        keys.add((rid, event.name, rid, event.loop_to))
            for c in self._connections:
                source = (str(c.source_routine_id), str(c.source_event_name))
                target = (str(c.target_routine_id), str(c.target_slot_name))
                if (*source, *target) not in keys:
                    keys.add((*source, *target))
                    lists.setdefault(source, []).append(Route(*target, c.param_mapping or None))
            self._route_lists = lists
            self._route_keys = keys
            self.route_table = {}
        self._idle_cache = None

    def get_routine(self, routine_id: str) -> Routine | None:
        """The routine with id `routine_id`, or None."""
        return self._routines.get(routine_id)

    def slot_target(self, routine_id: str, slot_name: str) -> tuple[Routine | None, Slot | None]:
        """The routine and slot an activation of ``routine_id.slot_name`` runs (either None
        if missing). Found ones are cached in `slot_targets`, which the activation path
        reads first: once per flow, not once per activation."""
        routine = self._routines.get(routine_id)
        if routine is None:
            return None, None
        slot = routine.get_slot(slot_name)
        if slot is not None:
            with self._routes_lock:
                self.slot_targets[(routine_id, slot_name)] = (routine, slot)
        return routine, slot

    def require_routine(self, routine_id: str, role: str = "") -> Routine:
        """The routine with id `routine_id`; a RoutineNotFoundError naming the flow's
        routines (and `role`, what the id was given as) if there is none."""
        routine = self._routines.get(routine_id)
        if routine is None:
            known = ", ".join(repr(r) for r in self._routines) or "none"
            what = f"{role} routine" if role else "routine"
            raise with_hint(
                RoutineNotFoundError(
                    f"{what[0].upper()}{what[1:]} {routine_id!r} not found in flow"
                ),
                f"flow {self.flow_id!r} has the routines {known}; add it with add_routine first",
            )
        return routine

    def _check_routine(self, routine_id: str, routine: Routine) -> None:
        """What a subclass checks before `routine` joins as `routine_id` (`Flow`: that
        its executor can run the routine's handlers); raises to refuse it."""

    @property
    def idle_slots(self) -> tuple[tuple[str, str], ...]:
        """Idle slots as (routine_id, slot), upstream routines first.

        Computed once after the structure changed (not on every add_routine and
        connect: building a flow stays linear in its size).
        """
        idle = self._idle_cache
        if idle is None:
            routines = self._routines
            has_idle = any(s.idle for r in routines.values() for s in r.slots.values())
            order = _upstream_first(routines, self._connections) if has_idle else []
            idle = self._idle_cache = tuple(
                (routine_id, slot.name)
                for routine_id in order
                for slot in routines[routine_id].slots.values()
                if slot.idle
            )
        return idle

    def routes_from(self, routine_id: str, event_name: str) -> tuple[Route, ...]:
        """The routes of an event (cached in `route_table`); raises if it has none."""
        key = (routine_id, event_name)
        routes = self.route_table.get(key)
        if routes is not None:
            return routes
        with self._routes_lock:
            connected = self._route_lists.get(key)
            if connected is None:
                routine = self.require_routine(routine_id)
                if routine.get_event(event_name) is None:
                    raise unknown_event(routine_id, routine, event_name)
            routes = self.route_table[key] = tuple(connected or ())
        return routes

    def find_routine_id(self, routine: Routine) -> str | None:
        """The id this routine instance was added under, or None."""
        return self._ids.get(id(routine))

    def routine_id_of(self, routine: Routine) -> str:
        """The id this routine instance was added under; raises if it is not in the flow."""
        routine_id = self._ids.get(id(routine))
        if routine_id is None:
            raise RoutineNotFoundError(
                f"{type(routine).__name__} instance is not part of flow {self.flow_id!r}; "
                "add it with add_routine before it emits"
            )
        return routine_id


def _upstream_first(routines: Mapping[str, Routine], connections: list[Connection]) -> list[str]:
    """Routine ids in topological order of the connections (cycles: insertion order)."""
    incoming = {rid: 0 for rid in routines}
    downstream: dict[str, list[str]] = {rid: [] for rid in routines}
    for c in connections:
        source, target = str(c.source_routine_id), str(c.target_routine_id)
        if source != target:
            incoming[target] += 1
            downstream[source].append(target)
    ready = deque(rid for rid in routines if incoming[rid] == 0)
    order: dict[str, None] = {}  # an insertion-ordered set
    while ready:
        rid = ready.popleft()
        order[rid] = None
        for target in downstream[rid]:
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    order.update(dict.fromkeys(rid for rid in routines if rid not in order))
    return list(order)
