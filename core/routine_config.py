"""Building routines from their config: registered names and config schemas.

A routine factory may declare ``config_schema``, an attrs class: the config a
spec (or ``flow.add_routine(name, id, config=...)``) gives it is checked against
the schema before anything runs (unknown keys, missing keys, wrong types,
failed validators), and each problem is reported with its path.
"""

from __future__ import annotations

import typing
from collections import abc
from typing import Any

from .errors import FlowSpecError
from .routine import Routine


def build_registered_routine(name: str, config: dict[str, Any], path: str = "") -> Routine:
    """Build the routine registered as `name` with `config`; errors name `path`."""
    from .registry import get_routine

    factory = get_routine(name)
    routine = build_routine(factory, config, path or name)
    routine.registered_name = name
    return routine


def build_routine(factory: Any, config: dict[str, Any], path: str) -> Routine:
    """Build a routine from a registered factory or a Routine subclass, checking `config`."""
    schema = getattr(factory, "config_schema", None)
    if schema is not None:
        config = validate_config(schema, config, f"{path}.config")
    if isinstance(factory, type) and issubclass(factory, Routine):
        routine = factory.from_config(config)
    else:
        routine = factory(**config)
    if not isinstance(routine, Routine):
        raise FlowSpecError([(path, f"factory returned {type(routine).__name__}, not a Routine")])
    return routine


def validate_config(schema: type, config: dict[str, Any], path: str) -> dict[str, Any]:
    """Check `config` against an attrs class `schema`; returns it with defaults filled in."""
    import attrs

    from .serialization import converter

    problems: list[tuple[str, str]] = []
    try:  # annotations may be strings (``from __future__ import annotations``)
        attrs.resolve_types(schema)
    except Exception as exc:
        raise FlowSpecError(
            [(path, f"the routine's config_schema {schema.__name__} has unresolvable types: {exc}")]
        ) from None
    fields = {f.name: f for f in attrs.fields(schema)}
    for key in config:
        if key not in fields:
            problems.append((f"{path}.{key}", f"unknown config key; known: {sorted(fields)}"))
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in config:
            if field.default is attrs.NOTHING:
                problems.append((f"{path}.{name}", "required config key is missing"))
            continue
        value = config[name]
        try:
            if not _plain_type_matches(value, field.type):
                raise TypeError("wrong type")
            values[name] = converter().structure(value, field.type)
        except Exception as exc:
            problems.append((f"{path}.{name}", _type_problem(value, field.type, exc)))
    if problems:
        raise FlowSpecError(problems)
    try:
        instance = schema(**values)  # runs the schema's validators
    except (TypeError, ValueError) as exc:
        raise FlowSpecError(_validator_problems(schema, values, path, exc)) from None
    result: dict[str, Any] = converter().unstructure(instance)
    return result


def _validator_problems(
    schema: type, values: dict[str, Any], path: str, error: Exception
) -> list[tuple[str, str]]:
    """Find which fields the schema's validators reject, to name each one's path."""
    import attrs

    problems = []
    for field in attrs.fields(schema):
        if field.validator is None or field.name not in values:
            continue
        try:
            field.validator(None, field, values[field.name])
        except Exception as exc:
            message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            problems.append((f"{path}.{field.name}", message))
    return problems or [(path, f"{type(error).__name__}: {error}")]


_PLAIN_TYPES: dict[Any, tuple[type, ...]] = {
    int: (int,),
    float: (int, float),
    str: (str,),
    bool: (bool,),
}


def _plain_type_matches(value: Any, expected: Any) -> bool:
    """False for a value cattrs would coerce silently (``"5"`` for an int, 1 for a bool)."""
    if typing.get_origin(expected) in (list, tuple, set, frozenset, abc.Sequence):
        return not isinstance(value, str | bytes)  # cattrs would split a str into chars
    accepted = _PLAIN_TYPES.get(expected)
    if accepted is None:
        return True  # unions, mappings, attrs classes: cattrs checks them
    return isinstance(value, accepted) and not (isinstance(value, bool) and expected is not bool)


def _type_problem(value: Any, expected: Any, exc: BaseException) -> str:
    if typing.get_origin(expected) is None:
        name = getattr(expected, "__name__", None) or str(expected)
    else:
        name = str(expected)
    name = name.replace("typing.", "")
    return f"expected {name}, got {type(value).__name__} {value!r}"
