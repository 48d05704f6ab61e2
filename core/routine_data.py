"""routilux 0.10's serialized form of routines, slots and events.

``routine.serialize()`` gives the keys 0.10 gave (``_type``, ``_id``, ``_config``,
``_error_handler``, ``_slots``, ``_events``), and ``routine.deserialize(data)``
takes them back. Handlers are written as
references (``{"_type": "callable", ...}``) and read back without importing or
looking anything up that the program did not define itself:

* a method reference resolves only to a method of the routine being rebuilt,
  defined by its own class (not by `Routine`);
* a function reference resolves only to a plain function already defined in
  one of the caller's modules (the module that called ``deserialize`` and
  ``__main__``), whose ``__module__`` is that module;
* anything else (a lambda, a builtin, another module) becomes no handler.

This module sits below `routine` (it never imports it): routines call into it.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .errors import FlowSpecError
from .payload import check_payload, copy_json

if TYPE_CHECKING:
    from .routine import Routine
    from .slot import Slot


def callable_ref(fn: Any) -> dict[str, Any] | None:
    """A JSON reference to a handler or merge function (routilux 0.10's shape)."""
    if fn is None:
        return None
    owner = getattr(fn, "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType):
        return {
            "_type": "callable",
            "callable_type": "method",
            "class_name": type(owner).__name__,
            "method_name": fn.__name__,
            "object_id": hex(id(owner)),
        }
    return {
        "_type": "callable",
        "callable_type": "function",
        "module": getattr(fn, "__module__", None),
        "name": getattr(fn, "__qualname__", getattr(fn, "__name__", repr(fn))),
    }


def resolve_callable(ref: Any, owner: Routine, modules: Iterable[str]) -> Callable[..., Any] | None:
    """The callable `ref` names, under the rules of the module docstring; else None."""
    if not isinstance(ref, dict):
        return None
    kind = ref.get("callable_type")
    if kind == "method":
        name = ref.get("method_name")
        if not isinstance(name, str) or not name.isidentifier():
            return None
        from_base = {k for base in type(owner).__mro__ if _is_library(base) for k in vars(base)}
        for cls in type(owner).__mro__:
            if not _is_library(cls) and name in vars(cls) and name not in from_base:
                found = getattr(owner, name, None)
                return found if callable(found) else None
        return None
    if kind == "function":
        module_name, name = ref.get("module"), ref.get("name")
        if module_name not in set(modules) or not isinstance(name, str):
            return None
        module = sys.modules.get(str(module_name))
        if module is None or not name.isidentifier():
            return None
        found = vars(module).get(name)
        if isinstance(found, types.FunctionType) and found.__module__ == module_name:
            return found
    return None


def _is_library(cls: type) -> bool:
    return cls is object or cls.__module__.split(".")[0] == "routilux"


def slot_to_data(slot: Slot) -> dict[str, Any]:
    """See `Slot.serialize`."""
    strategy = slot.merge_strategy
    buffer = slot.own_buffer()
    return {
        "_type": "Slot",
        "name": slot.name,
        "handler": callable_ref(slot.handler),
        "merge_strategy": strategy if isinstance(strategy, str) else callable_ref(strategy),
        "_data": buffer,
    }


def routine_to_data(routine: Routine) -> dict[str, Any]:
    """See `Routine.serialize`."""
    cls = type(routine)
    config = routine.config()
    check_payload(config, f"{cls.__name__}._config")
    handler = routine.get_error_handler()
    data: dict[str, Any] = {
        "_type": cls.__name__,
        "_id": routine.default_id,
        "_config": copy_json(config),
        "_error_handler": None if handler is None else handler.saved_form(),
        "_slots": {name: slot.serialize() for name, slot in routine.slots.items()},
        "_events": {name: event.serialize() for name, event in routine.events.items()},
    }
    if routine.registered_name is not None:
        data["_registered_name"] = routine.registered_name
    return data


def restore_routine(
    routine: Routine, data: dict[str, Any], modules: Iterable[str], path: str = "routine"
) -> None:
    """See `Routine.deserialize`: `data` onto `routine` (which built its own slots)."""
    from .error_handling import ErrorHandler

    if not isinstance(data, dict):
        raise FlowSpecError([(path, f"must be a mapping, not {type(data).__name__}")])
    modules = list(modules)
    routine_id = data.get("_id")
    config = data.get("_config")
    if isinstance(config, dict):
        check_payload(config, f"{path}._config")
    routine.load_saved(
        routine_id=routine_id if isinstance(routine_id, str) else None,
        config=config if isinstance(config, dict) else None,
    )
    handler = data.get("_error_handler")
    if isinstance(handler, dict):
        routine.set_error_handler(ErrorHandler().deserialize(handler))
    elif "_error_handler" in data and handler is None:
        routine.set_error_handler(None)
    for name, slot_data in _entries(data.get("_slots"), f"{path}._slots"):
        slot = routine.get_slot(name)
        if slot is None:
            strategy = slot_data.get("merge_strategy", "override")
            if not isinstance(strategy, str):
                strategy = resolve_callable(strategy, routine, modules) or "override"
            handler_fn = resolve_callable(slot_data.get("handler"), routine, modules)
            slot = routine.define_slot(name, handler=handler_fn, merge_strategy=strategy)
        buffer = slot_data.get("_data")
        if isinstance(buffer, dict) and buffer:
            check_payload(buffer, f"{path}._slots.{name}._data")
            slot.restore_buffer(buffer)
    for name, event_data in _entries(data.get("_events"), f"{path}._events"):
        if routine.get_event(name) is None:
            params = event_data.get("output_params") or []
            routine.define_event(name, [str(p) for p in params])


def _entries(value: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise FlowSpecError([(path, f"must be a mapping, not {type(value).__name__}")])
    entries = []
    for name, item in value.items():
        if not isinstance(item, dict):
            raise FlowSpecError([(f"{path}.{name}", "must be a mapping")])
        entries.append((str(item.get("name", name)), item))
    return entries
