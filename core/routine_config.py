"""Building routines from their config: registered names and config schemas.

A routine factory may declare ``config_schema``, an attrs class: the config a
spec (or ``flow.add_routine(name, id, config=...)``) gives it is structured into
the schema by the spec converter (`routilux.spec_converter`) before anything runs:
unknown keys (with the closest known key), missing keys, wrong types (no silent
coercion) and failed validators are each reported with their path, in one
`RoutineConfigError`.
"""

from __future__ import annotations

from typing import Any

from .errors import PluginError, RoutineConfigError
from .routine import Routine


def build_registered_routine(
    name: str, config: dict[str, Any], path: str = "", *, routine_id: str | None = None
) -> Routine:
    """Build the routine registered as `name` with `config`; errors name `path`.

    `routine_id` (default: `path`) names the routine in a `RoutineConfigError`.
    """
    from .registry import get_routine

    factory = get_routine(name)
    routine = build_routine(factory, config, path or name, routine_id=routine_id, name=name)
    routine.registered_name = name
    return routine


def build_routine(
    factory: Any,
    config: dict[str, Any],
    path: str,
    *,
    routine_id: str | None = None,
    name: str | None = None,
) -> Routine:
    """Build a routine from a registered factory or a Routine subclass, checking `config`."""
    schema = getattr(factory, "config_schema", None)
    kind = name or getattr(factory, "__qualname__", None) or repr(factory)
    if schema is not None:
        routine = routine_id or path
        label = repr(kind) if routine == kind else f"{routine!r} ({kind})"
        config = validate_config(schema, config, f"{path}.config", routine=label)
    if isinstance(factory, type) and issubclass(factory, Routine):
        built = factory.from_config(config)
    else:
        built = factory(**config)
    if not isinstance(built, Routine):
        raise PluginError(
            f"the factory of routine {kind!r} returned {type(built).__name__}, not a Routine"
        )
    return built


def validate_config(
    schema: type, config: dict[str, Any], path: str, routine: str = ""
) -> dict[str, Any]:
    """Check `config` against an attrs class `schema`; returns it with defaults filled in.

    Problems name their key under `path` (the config's own path); `routine`
    describes the routine in the error's message.
    """
    import attrs
    from cattrs.errors import ClassValidationError, StructureHandlerNotFoundError

    from .spec_converter import converter, problems_of
    from .spec_model import SpecValueError

    label = routine or repr(path)
    try:  # annotations may be strings (``from __future__ import annotations``)
        attrs.resolve_types(schema)
    except Exception as exc:
        message = f"the routine's config_schema {schema.__name__} has unresolvable types: {exc}"
        raise RoutineConfigError([(path, message)], label, path) from None
    conv = converter()
    try:
        instance: Any = conv.structure(config, schema)
        result: dict[str, Any] = conv.unstructure(instance)
    except RecursionError:
        message = "nested too deeply to check (Python's recursion limit); flatten it"
        raise RoutineConfigError([(path, message)], label, path) from None
    except SpecValueError as exc:  # not a mapping
        raise RoutineConfigError([(path, str(exc))], label, path) from None
    except StructureHandlerNotFoundError as exc:  # the plugin's schema, not the config
        raise PluginError(
            f"routine {label}: its config_schema {schema.__name__} has a field type that "
            f"configs cannot be checked against ({exc}); use JSON types, attrs classes, "
            "lists, dicts, unions, Literal or Enum"
        ) from None
    except ClassValidationError as exc:
        problems = problems_of(exc, path)
        if not _names_fields(exc):  # the schema's init (its validators) raised
            problems = _validator_problems(schema, config, path) or problems
        raise RoutineConfigError(problems, label, path) from None
    return result


def _names_fields(exc: Any) -> bool:
    """Whether a structuring error names fields (else the schema's init raised)."""
    from cattrs.errors import ForbiddenExtraKeysError

    with_notes, without = exc.group_exceptions()
    return bool(with_notes) or any(isinstance(e, ForbiddenExtraKeysError) for e in without)


def _validator_problems(schema: type, config: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """Which fields the schema's validators reject (attrs runs them in init, unnamed)."""
    import attrs

    from .spec_converter import converter

    problems = []
    for field in attrs.fields(schema):
        if field.validator is None or field.name not in config:
            continue
        try:
            value = converter().structure(config[field.name], field.type)
            field.validator(None, field, value)
        except Exception as exc:
            message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            problems.append((f"{path}.{field.name}", message))
    return problems
