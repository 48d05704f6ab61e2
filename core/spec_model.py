"""The flow spec document as attrs classes, with the rules of its fields.

A spec file parses into plain data; `routilux.spec_converter` structures that
into a `FlowSpec`, these classes, using the field rules below (a positive
``max_workers``, a known ``checkpoint`` mode, ``from``/``to`` as
``routine.event``/``routine.slot``). Each rule raises `SpecValueError` with the
message shown after the key's path.

Only the shape of the document is described here; names are looked up when the
flow is built (`routilux.spec_build`). Nothing here imports or calls anything
named by data: ``type`` and ``class`` are plain strings in a `RoutineSpec`.
"""

from __future__ import annotations

import difflib
import enum
from collections import abc
from typing import Any

import attrs
import cattrs
from cattrs.gen import override

from .errors import RoutiluxError
from .flow_options import CHECKPOINT_MODES, check_keep_checkpoints, check_max_workers
from .payload import check_payload, copy_json
from .records import history_limit_of

SPEC_VERSION = 1


class Unset(enum.Enum):
    """A key the spec does not give, where ``null`` means something (no limit)."""

    UNSET = "unset"


UNSET = Unset.UNSET


class SpecValueError(ValueError):
    """A value the spec may not have; its message is shown as is, after the path."""


@attrs.frozen
class Endpoint:
    """One end of a connection: ``routine.event`` or ``routine.slot``."""

    routine_id: str
    name: str

    def __str__(self) -> str:
        return f"{self.routine_id}.{self.name}"


@attrs.frozen
class ConnectionSpec:
    """``{from: routine.event, to: routine.slot, param_mapping: {event_key: slot_key}}``."""

    from_: Endpoint
    to: Endpoint
    param_mapping: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen
class ErrorHandlerSpec:
    """An ``error_handler`` entry: the settings of an `ErrorHandler` (its defaults)."""

    strategy: str = "stop"
    max_retries: int = 3
    retry_delay: float = 1.0
    retry_backoff: float = 2.0
    is_critical: bool = False
    timeout: float | None = None
    jitter: float = 0.0
    max_delay: float | None = None
    #: exception classes as ``module:qualname`` (builtins by name), found only among
    #: modules already imported; None: the handler's default (every Exception)
    retryable_exceptions: list[str] | None = None
    options: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class RoutineSpec:
    """A ``routines`` entry: a registered ``type`` (or an imported ``class``) and its config."""

    type: str | None = None
    class_: str | None = None
    config: dict[str, Any] = attrs.field(factory=dict)
    error_handler: ErrorHandlerSpec | None = None


@attrs.frozen
class FlowSpec:
    """A whole spec document. ``None`` (or `UNSET`) is a key the spec does not give."""

    schema_version: int = SPEC_VERSION
    flow_id: str | None = None
    execution_strategy: str | None = None
    max_workers: int | None = None
    executor_options: dict[str, Any] | None = None
    checkpoint: str | None = None
    max_activations: int | None | Unset = UNSET
    #: the record limit: None keeps everything ("full"), 0 nothing ("off")
    history: int | None | Unset = UNSET
    keep_checkpoints: int | None = None
    error_handler: ErrorHandlerSpec | None = None
    routines: dict[str, RoutineSpec] = attrs.field(factory=dict)
    connections: list[ConnectionSpec] = attrs.field(factory=list)
    entry: str | None = None
    params: dict[str, Any] = attrs.field(factory=dict)


SPEC_CLASSES = (FlowSpec, RoutineSpec, ConnectionSpec, ErrorHandlerSpec)
#: what each spec class must be, for "must be ..., not list"
SHAPES: dict[type, str] = {
    RoutineSpec: "a mapping with a 'type'",
    ConnectionSpec: "a mapping {from: routine.event, to: routine.slot}",
}


def external_name(cls: type, field_name: str) -> str:
    """The key a spec writes for a field (``from_`` is ``from``, ``class_`` is ``class``)."""
    return field_name[:-1] if cls in SPEC_CLASSES and field_name.endswith("_") else field_name


def known_keys(cls: type) -> list[str]:
    """The keys a mapping structured into `cls` may have."""
    return [external_name(cls, f.name) for f in attrs.fields(cls)]


def value_text(value: Any) -> str:
    """A value as messages show it: its type and repr."""
    return f"{type(value).__name__} {value!r}"


def choice_problem(value: Any, choices: abc.Sequence[str]) -> str:
    """The message for a value that is not one of `choices`, naming the closest."""
    close = difflib.get_close_matches(str(value), choices, n=1) if isinstance(value, str) else []
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"must be one of {', '.join(choices)}, not {value!r}{hint}"


# ------------------------------------------------------------------ field checks
# Hooks for the spec's fields whose rule is more than a type; each raises
# SpecValueError with the message shown after the key's path.


def _positive_int(value: Any, _: Any) -> int:
    if type(value) is int and value >= 1:
        return value
    raise SpecValueError(f"must be a positive integer, not {value!r}")


def _max_workers(value: Any, _: Any) -> int:
    try:
        return check_max_workers(_positive_int(value, _), "")
    except RoutiluxError as exc:
        raise SpecValueError(str(exc).partition(": ")[2]) from None


def _schema_version(value: Any, _: Any) -> int:
    if value != SPEC_VERSION:
        raise SpecValueError(f"this routilux reads spec version {SPEC_VERSION}, not {value!r}")
    return SPEC_VERSION


def _flow_id(value: Any, _: Any) -> str:
    if isinstance(value, str) and value:
        return value
    raise SpecValueError(f"must be a non-empty string, not {value!r}")


def _executor_options(value: Any, _: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise SpecValueError("must be a mapping of option names to values")
    try:
        check_payload(value, "executor_options")  # JSON data only
    except RoutiluxError as exc:
        raise SpecValueError(str(exc)) from None
    result: dict[str, Any] = copy_json(value)
    return result


def _checkpoint(value: Any, _: Any) -> str:
    if value in CHECKPOINT_MODES:
        return str(value)
    raise SpecValueError(choice_problem(value, CHECKPOINT_MODES))


def _max_activations(value: Any, _: Any) -> int | None:
    if value is None or (type(value) is int and value >= 1):
        return value
    raise SpecValueError(f"must be a positive integer (or null for no limit), not {value!r}")


def _history(value: Any, _: Any) -> int | None:
    try:
        return history_limit_of(value, "history")
    except RoutiluxError as exc:
        raise SpecValueError(str(exc)) from None


def _keep_checkpoints(value: Any, _: Any) -> int:
    if not (type(value) is int and value >= 0):
        raise SpecValueError(f"must be an integer >= 0, not {value!r}")
    try:
        return check_keep_checkpoints(value)
    except RoutiluxError as exc:
        raise SpecValueError(str(exc)) from None


def _params(value: Any, _: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise SpecValueError("must be a mapping of parameter names to default values")


def _entry(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    if type(value) is int:  # YAML reads ``entry: 1`` as a number, as it reads the id
        return str(value)
    raise SpecValueError(f"must be a routine id, not {value!r}")


def _routine_type(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise SpecValueError(f"must be a registered routine name, not {value_text(value)}")


def _endpoint(value: Any, _: Any) -> Endpoint:
    routine_id, _dot, name = value.rpartition(".") if isinstance(value, str) else ("", "", "")
    if not routine_id or not name:
        raise SpecValueError(f"must be 'routine.event' or 'routine.slot', not {value!r}")
    return Endpoint(routine_id, name)


def field_hooks(conv: cattrs.Converter) -> dict[type, dict[str, Any]]:
    """The per-field structure hooks of the spec classes (cattrs overrides)."""

    def routines(value: Any, _: Any) -> dict[str, RoutineSpec]:
        if not isinstance(value, dict) or not value:
            raise SpecValueError("must be a non-empty mapping of routine id to routine")
        if "" in value:
            raise SpecValueError("a routine id is empty; give each routine a name")
        # routine ids are text even where YAML reads a number
        result: dict[str, RoutineSpec] = conv.structure(
            {str(k): v for k, v in value.items()}, dict[str, RoutineSpec]
        )
        return result

    def connections(value: Any, _: Any) -> list[ConnectionSpec]:
        if not isinstance(value, list):
            raise SpecValueError("must be a list")
        result: list[ConnectionSpec] = conv.structure(value, list[ConnectionSpec])
        return result

    def hooks(**checks: Any) -> dict[str, Any]:
        return {name: override(struct_hook=check) for name, check in checks.items()}

    return {
        FlowSpec: hooks(
            schema_version=_schema_version,
            flow_id=_flow_id,
            max_workers=_max_workers,
            executor_options=_executor_options,
            checkpoint=_checkpoint,
            max_activations=_max_activations,
            history=_history,
            keep_checkpoints=_keep_checkpoints,
            routines=routines,
            connections=connections,
            entry=_entry,
            params=_params,
        ),
        RoutineSpec: hooks(type=_routine_type),
        ConnectionSpec: hooks(from_=_endpoint, to=_endpoint),
    }
