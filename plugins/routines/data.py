"""``data.*``: map, filter, validate and count the data that passes through.

Each routine receives on ``input`` (or ``trigger``) and emits ``output`` with
the data it received, changed as its config says. Transforms and comparisons
come from fixed, named sets: nothing from a spec is evaluated.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs

import routilux

from .common import ConfiguredRoutine, key_of

TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "upper": str.upper,
    "lower": str.lower,
    "strip": str.strip,
    "title": str.title,
    "length": len,
    "words": str.split,
    "int": int,
    "float": float,
    "str": str,
    "abs": abs,
    "round": round,
    "sorted": sorted,
    "unique": lambda value: sorted(set(value)),
}

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "in": lambda field, value: field in value,
    "not_in": lambda field, value: field not in value,
    "contains": lambda field, value: value in field,
    "startswith": lambda field, value: str(field).startswith(str(value)),
    "endswith": lambda field, value: str(field).endswith(str(value)),
}

TYPES: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": float,
    "number": (int, float),
    "bool": bool,
    "list": list,
    "dict": dict,
}


def _one_of(choices: dict[str, Any]) -> Callable[[Any, Any, str], None]:
    def check(instance: Any, attribute: Any, value: str) -> None:
        if value not in choices:
            raise ValueError(f"{attribute.name} must be one of {sorted(choices)}, not {value!r}")

    return check


class DataRoutine(ConfiguredRoutine):
    """Base: one handler on ``input`` and ``trigger``."""

    #: The events it declares. Not ``events``: that is Routine's property of the
    #: declared Event objects, which a class attribute would hide.
    event_names: tuple[str, ...] = ("output",)

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.receive)
        self.define_slot("trigger", handler=self.receive)
        for event in self.event_names:
            self.define_event(event)

    def receive(self, **data: Any) -> None:
        raise NotImplementedError


@attrs.define
class MapConfig:
    field: str
    transform: str = attrs.field(validator=_one_of(TRANSFORMS))
    target: str | None = None


class Map(DataRoutine):
    """Apply a named transform (upper, lower, length, words, int, ...) to one field.

    Writes the result to ``target`` (default: the field itself). Spec:
    ``upper = {type = "data.map", config = {field = "name", transform = "upper"}}``
    """

    config_schema = MapConfig

    def receive(self, **data: Any) -> None:
        settings = self.settings()
        value = TRANSFORMS[settings.transform](key_of(data, settings.field, "data.map"))
        self.emit("output", **{**data, settings.target or settings.field: value})


@attrs.define
class FilterConfig:
    field: str
    op: str = attrs.field(validator=_one_of(COMPARISONS))
    value: Any = None


class Filter(DataRoutine):
    """Pass data on ``output`` when ``field op value`` holds, else on ``rejected``.

    Operators: eq, ne, lt, le, gt, ge, in, not_in, contains, startswith, endswith.
    Spec: ``big = {type = "data.filter", config = {field = "amount", op = "gt", value = 100}}``
    """

    config_schema = FilterConfig
    event_names = ("output", "rejected")

    def receive(self, **data: Any) -> None:
        settings = self.settings()
        field = key_of(data, settings.field, "data.filter")
        try:
            passed = COMPARISONS[settings.op](field, settings.value)
        except TypeError as exc:
            raise TypeError(
                f"data.filter cannot compare {settings.field}={field!r} {settings.op} "
                f"{settings.value!r}: {exc}"
            ) from None
        self.emit("output" if passed else "rejected", **data)


@attrs.define
class ValidateConfig:
    required: list[str] = attrs.field(factory=list)
    types: dict[str, str] = attrs.field(factory=dict)

    @types.validator
    def _known_types(self, attribute: Any, value: dict[str, str]) -> None:
        for key, name in value.items():
            if name not in TYPES:
                raise ValueError(f"types.{key} must be one of {sorted(TYPES)}, not {name!r}")


class Validate(DataRoutine):
    """Pass data with the required keys and types on ``output``, the rest on ``invalid``.

    ``invalid`` carries ``data`` and ``errors``. Spec:
    ``check = {type = "data.validate", config = {required = ["id"], types = {id = "int"}}}``
    """

    config_schema = ValidateConfig
    event_names = ("output", "invalid")

    def receive(self, **data: Any) -> None:
        settings = self.settings()
        errors = [f"missing key {key!r}" for key in settings.required if key not in data]
        for key, name in settings.types.items():
            if key in data:
                value = data[key]
                if not isinstance(value, TYPES[name]) or (
                    isinstance(value, bool) and name in ("int", "float", "number")
                ):
                    errors.append(f"{key!r} should be {name}, got {type(value).__name__}")
        if errors:
            self.emit("invalid", data=data, errors=errors)
        else:
            self.emit("output", **data)


_WORD = re.compile(r"[\w']+")


class CountWords(DataRoutine):
    """Count the words of ``text``: emits ``output`` with ``words`` ({word: n}) and ``total``.

    ``text`` may be a batch (a list of texts): the counts are then of the whole batch.

    Spec: ``count = {type = "data.count_words"}``
    """

    def receive(self, **data: Any) -> None:
        text = key_of(data, "text", "data.count_words")
        if isinstance(text, list):  # a batch of texts: one count for all of them
            try:
                text = "\n".join(text)
            except TypeError:
                text = "\n".join(str(t) for t in text)
        counts = Counter(_WORD.findall(str(text)))
        self.emit("output", words=dict(counts), total=sum(counts.values()))


@routilux.hookimpl
def routilux_routines() -> dict[str, Any]:
    return {
        "data.map": Map,
        "data.filter": Filter,
        "data.validate": Validate,
        "data.count_words": CountWords,
    }
