"""routilux 0.10's serialized form of a flow, and how it is read back safely.

``flow.serialize()`` gives 0.10's keys (``_type``, ``flow_id``, ``_paused``,
``execution_strategy``, ``max_workers``, ``error_handler``, ``routines``,
``connections``); each routine is `Routine.serialize` output and each connection
`Connection.serialize` output with 0.10's keys: its routine ids are written only
where 0.10's way of finding them (the first routine with an event or slot of that
name) would find another routine, so that two routines with the same event or slot
name are told apart. ``Flow().deserialize(data)``
reads that form, and routilux's spec form (``schema_version``, ``class``/``type``).

Which class a routine entry becomes, without importing anything named by data:

1. ``_registered_name``: the registered plugin routine of that name;
2. ``_class`` (``module:qualname``, if the data has it): a Routine subclass
   already defined in this process (`Routine` keeps the ones created; data cannot
   add to them);
3. ``_type`` (the class name, what 0.10 wrote): ``Routine`` itself, or the one
   Routine subclass of that name defined in this process; if several share the
   name, the newest defined in the calling module (or ``__main__``); otherwise an
   error that asks for the class to be imported or renamed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import FlowError, FlowSpecError
from .routine import Routine

if TYPE_CHECKING:
    from .connection import Connection
    from .flow import Flow


def flow_to_data(flow: Flow) -> dict[str, Any]:
    """See `Flow.serialize`."""
    handler = flow.error_handler
    data: dict[str, Any] = {
        "_type": "Flow",
        "flow_id": flow.flow_id,
        "_paused": False,
        "execution_strategy": flow.execution_strategy,
        "max_workers": flow.max_workers,
        "error_handler": None if handler is None else handler.saved_form(),
        "routines": {rid: routine.serialize() for rid, routine in flow.routines.items()},
        "connections": [_connection_data(flow, c) for c in flow.connections],
    }
    if flow.execution_timeout != 300.0:
        data["execution_timeout"] = flow.execution_timeout
    if flow.entry:
        data["entry"] = flow.entry
    return data


def _connection_data(flow: Flow, connection: Connection) -> dict[str, Any]:
    """`Connection.serialize` output with 0.10's keys, and each routine id only where
    loading would not find that routine as 0.10 did (the first routine, in the flow's
    order, with an event or slot of that name: `_owner`)."""
    data = connection.serialize()
    for key, kind, name in (
        ("_source_routine_id", "_events", "_source_event_name"),
        ("_target_routine_id", "_slots", "_target_slot_name"),
    ):
        if key in data and _owner(flow, kind, data.get(name)) == data[key]:
            del data[key]
    return data


def is_flow_data(data: Any) -> bool:
    """Whether `data` is in 0.10's form (rather than a routilux spec)."""
    if not isinstance(data, dict):
        return False
    if data.get("_type") == "Flow":
        return True
    routines = data.get("routines")
    return isinstance(routines, dict) and any(
        isinstance(r, dict) and ("_type" in r or "_slots" in r) for r in routines.values()
    )


def find_class(entry: dict[str, Any], path: str, modules: Iterable[str]) -> type[Routine]:
    """The Routine class a serialized routine names (rules in the module docstring)."""
    key = entry.get("_class")
    if isinstance(key, str) and (cls := Routine.class_named(key)) is not None:
        return cls
    name = entry.get("_type")
    if not isinstance(name, str) or not name:
        raise FlowSpecError([(f"{path}._type", "must name the routine's class")])
    if name == "Routine":
        return Routine
    found = [c for c in Routine.imported_classes() if c.__name__ == name]
    if len(found) > 1:
        preferred = [c for c in found if c.__module__ in set(modules)]
        found = preferred[-1:] if preferred else found
    if len(found) == 1:
        return found[0]
    if not found and isinstance(key, str):
        raise FlowSpecError(
            [
                (
                    f"{path}._class",
                    f"routine class {key!r} is not defined in this process; import the "
                    "module that defines it before deserializing (routilux never imports "
                    "code named by data)",
                )
            ]
        )
    if not found:
        raise FlowSpecError(
            [
                (
                    f"{path}._type",
                    f"no Routine subclass named {name!r} is defined in this process; "
                    "import the module that defines it before deserializing "
                    "(routilux never imports code named by data)",
                )
            ]
        )
    keys = ", ".join(f"{c.__module__}:{c.__qualname__}" for c in found)
    raise FlowSpecError(
        [
            (
                f"{path}._type",
                f"several Routine classes are named {name!r} ({keys}); add '_class' with "
                "the one meant, or deserialize from the module that defines it",
            )
        ]
    )


def build_flow(flow: Flow, data: dict[str, Any], modules: Iterable[str]) -> None:
    """Fill the empty `flow` from 0.10-form `data` (see `Flow.deserialize`)."""
    from .error_handling import ErrorHandler
    from .routine_config import build_registered_routine
    from .routine_data import restore_routine

    modules = list(modules)
    strategy = data.get("execution_strategy", flow.execution_strategy)
    check_strategy(strategy)
    max_workers = data.get("max_workers", flow.max_workers)
    if not isinstance(max_workers, int) or isinstance(max_workers, bool) or max_workers < 1:
        raise FlowError(f"max_workers must be a positive int, not {max_workers!r}")
    timeout = data.get("execution_timeout", 300.0)
    if timeout is not None and not isinstance(timeout, (int, float)):
        raise FlowError(f"execution_timeout must be a number or None, not {timeout!r}")
    if isinstance(data.get("flow_id"), str) and data["flow_id"]:
        flow.flow_id = data["flow_id"]
    flow.execution_strategy = strategy
    flow.max_workers = max_workers
    flow.execution_timeout = timeout
    if isinstance(data.get("entry"), str):
        flow.entry = data["entry"]
    routines = data.get("routines") or {}
    connections = data.get("connections") or []
    if not isinstance(routines, dict):
        raise FlowSpecError([("routines", "must be a mapping of routine id to routine")])
    if not isinstance(connections, list):
        raise FlowSpecError([("connections", "must be a list")])
    handler = data.get("error_handler")
    if isinstance(handler, dict):
        flow.error_handler = ErrorHandler().deserialize(handler)
    for routine_id, entry in routines.items():
        path = f"routines.{routine_id}"
        if not isinstance(entry, dict):
            raise FlowSpecError([(path, "must be a mapping")])
        config = entry.get("_config") if isinstance(entry.get("_config"), dict) else {}
        name = entry.get("_registered_name")
        if isinstance(name, str):
            routine = build_registered_routine(
                name, dict(config or {}), path, routine_id=str(routine_id)
            )
        else:
            routine = find_class(entry, path, modules).from_config(dict(config or {}))
        restore_routine(routine, entry, modules, path)
        flow.add_routine(routine, str(routine_id))
    for index, entry in enumerate(connections):
        path = f"connections[{index}]"
        if not isinstance(entry, dict):
            raise FlowSpecError([(path, "must be a mapping")])
        event = entry.get("_source_event_name")
        slot = entry.get("_target_slot_name")
        source = entry.get("_source_routine_id") or _owner(flow, "_events", event)
        target = entry.get("_target_routine_id") or _owner(flow, "_slots", slot)
        if not (source and target and isinstance(event, str) and isinstance(slot, str)):
            raise FlowSpecError(
                [(path, f"names no routine with event {event!r} or no routine with slot {slot!r}")]
            )
        mapping = entry.get("param_mapping") or None
        flow.connect(str(source), event, str(target), slot, mapping)


def _owner(flow: Flow, kind: str, name: Any) -> str | None:
    """The first routine having an event/slot called `name` (how 0.10 matched them)."""
    for routine_id, routine in flow.routines.items():
        if name in getattr(routine, kind):
            return routine_id
    return None


def check_strategy(strategy: Any) -> None:
    """Raise `InvalidExecutionStrategyError` unless `strategy` names an executor."""
    if strategy in ("sequential", "concurrent"):
        return
    from .errors import InvalidExecutionStrategyError, UnknownPluginError, with_hint

    if isinstance(strategy, str) and strategy:
        from .registry import get_executor

        try:
            get_executor(strategy)
            return
        except UnknownPluginError as exc:
            detail = f" ({exc})"
    else:
        detail = ""
    raise with_hint(
        InvalidExecutionStrategyError(
            f"Invalid execution strategy: {strategy}. Must be 'sequential' or 'concurrent'"
        ),
        f"or the name of a registered executor{detail}; `routilux plugins` lists them",
    )
