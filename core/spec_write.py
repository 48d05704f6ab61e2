"""Writing a flow as spec data: what `Flow.serialize` / `Flow.to_spec` return.

Routines built from a registered name are written by ``type``; others by
``class`` (``module:qualname``), checked here to be rebuildable from their
config, so that a flow that cannot be loaded elsewhere fails when it is saved
rather than on the other host. Configs and executor options must be JSON data.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from .errors import FlowError
from .payload import check_payload, copy_json
from .records import DEFAULT_HISTORY_LIMIT
from .routine import Routine, class_key
from .spec_model import SPEC_VERSION

if TYPE_CHECKING:
    from .flow import Flow


def flow_to_dict(flow: Flow) -> dict[str, Any]:
    """The flow's structure as JSON-compatible data."""
    from .flow_options import DEFAULT_MAX_ACTIVATIONS

    routines: dict[str, Any] = {}
    for routine_id, routine in flow.routines.items():
        entry: dict[str, Any] = {}
        if routine.registered_name is not None:
            entry["type"] = routine.registered_name
        else:
            _check_rebuildable(routine_id, type(routine))
            entry["class"] = class_key(type(routine))
        if config := routine.config():
            check_payload(config, f"routines.{routine_id}.config")
            entry["config"] = copy_json(config)
        if (handler := routine.get_error_handler()) is not None:
            entry["error_handler"] = handler.to_dict()
        routines[routine_id] = entry
    data: dict[str, Any] = {
        "schema_version": SPEC_VERSION,
        "flow_id": flow.flow_id,
        "execution_strategy": flow.execution_strategy,
        "max_workers": flow.max_workers,
    }
    if flow.executor_options:
        check_payload(flow.executor_options, "executor_options")
        data["executor_options"] = copy_json(flow.executor_options)
    if flow.checkpoint != "on_finish":
        data["checkpoint"] = flow.checkpoint
    if flow.max_activations != DEFAULT_MAX_ACTIVATIONS:
        data["max_activations"] = flow.max_activations
    if flow.history_limit != DEFAULT_HISTORY_LIMIT:
        data["history"] = (
            "full"
            if flow.history_limit is None
            else "off"
            if flow.history_limit == 0
            else flow.history_limit
        )
    if flow.keep_checkpoints:
        data["keep_checkpoints"] = flow.keep_checkpoints
    if flow.error_handler is not None:
        data["error_handler"] = flow.error_handler.to_dict()
    data["routines"] = routines
    data["connections"] = [_connection_to_dict(c) for c in flow.connections]
    if getattr(flow, "entry", None):
        data["entry"] = flow.entry  # type: ignore[attr-defined]
    return data


def _connection_to_dict(connection: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "from": f"{connection.source_routine_id}.{connection.source_event_name}",
        "to": f"{connection.target_routine_id}.{connection.target_slot_name}",
    }
    if connection.param_mapping:
        data["param_mapping"] = dict(connection.param_mapping)
    return data


def _check_rebuildable(routine_id: str, cls: type[Routine]) -> None:
    """Fail at serialize time, not on the other host, if the class cannot be rebuilt."""
    if cls.from_config.__func__ is not Routine.from_config.__func__:  # type: ignore[attr-defined]
        return
    try:
        params = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return
    required = [
        p.name
        for p in list(params)[1:]
        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if required:
        raise FlowError(
            f"routine {routine_id!r} ({class_key(cls)}) cannot be serialized: its __init__ "
            f"requires {', '.join(required)}; keep such settings in _config (set_config) and "
            "give the class a no-argument __init__, or override Routine.from_config"
        )
