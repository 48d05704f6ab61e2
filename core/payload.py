"""JSON-compatibility checks and copies for payloads stored in a JobState.

A JobState must serialize to JSON at any moment, so a payload that is not
JSON-compatible is rejected by the call that stores it, with the key path of the
offending value, instead of failing later at checkpoint time.
Accepted: None, bool, int, finite float, str, and lists, tuples and str-keyed
dicts of those (tuples stay tuples in memory and come back as lists after a round
trip through JSON). NaN and Infinity are refused: standard JSON has no such values,
and stores would disagree on them.

Those rules hold where a job is saved (a flow with a store). A job that is never
saved takes any Python object, as routilux 0.10 did: `copy_json` copies its
dicts, lists and tuples and passes every other object on as it is.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import NotSerializableError

_SCALARS = frozenset({str, int, float, bool, type(None)})
_STR = frozenset({str})

#: How deeply payload containers may nest. Deeper data could not be saved or
#: copied (Python's recursion limit), so it is refused where it enters a job.
MAX_PAYLOAD_DEPTH = 200


def check_payload(value: Any, where: str, _depth: int = 0) -> None:
    """Raise `NotSerializableError` naming the path if `value` is not JSON-compatible.

    `where` names the container, e.g. ``"shared_data['items']"``. Containers
    nested more than `MAX_PAYLOAD_DEPTH` levels deep are refused too.
    """
    cls = type(value)
    if cls in _SCALARS:
        if cls is float and value - value != 0:
            _not_finite(value, where)
        return
    if _depth >= MAX_PAYLOAD_DEPTH:
        shown = where if len(where) <= 100 else where[:100] + "..."
        _fail(
            f"{shown}: data nested more than {MAX_PAYLOAD_DEPTH} levels deep (the limit "
            "routilux.payload.MAX_PAYLOAD_DEPTH); flatten it before storing or emitting it",
            where,
        )
    if cls is dict:
        for key, item in value.items():
            if type(key) is not str:
                _fail(f"{where}: key {key!r} is a {type(key).__name__}; keys must be str", where)
            kind = type(item)
            if kind not in _SCALARS or (kind is float and item - item != 0):
                check_payload(item, f"{where}[{key!r}]", _depth + 1)
        return
    if cls is list or cls is tuple:
        for index, item in enumerate(value):
            kind = type(item)
            if kind not in _SCALARS or (kind is float and item - item != 0):
                check_payload(item, f"{where}[{index}]", _depth + 1)
        return
    if isinstance(value, (str, int, float)):  # subclasses such as IntEnum / StrEnum
        if isinstance(value, float) and value - value != 0:
            _not_finite(value, where)
        return
    if isinstance(value, dict):
        check_payload(dict(value), where, _depth)
        return
    if isinstance(value, (list, tuple)):
        check_payload(list(value), where, _depth)
        return
    _fail(
        f"{where}: value of type {cls.__name__} is not JSON-compatible; "
        "convert it to str, a number, a list or a dict before storing it",
        where,
    )


def check_mapping(data: dict[str, Any], where: str) -> None:
    """Fast path for the common case: a dict of scalars (an emit or a state update)."""
    if not is_flat_payload(data):
        check_payload(data, where)


def is_flat_payload(data: dict[str, Any]) -> bool:
    """Whether `data` is a dict of str keys to JSON scalars (finite floats): valid as it
    is, the usual case, told without naming a path (check the rest with `check_payload`)."""
    for key, item in data.items():
        kind = type(item)
        if kind not in _SCALARS or type(key) is not str or (kind is float and item - item != 0):
            return False
    return True


def snapshot(value: Any, where: str) -> Any:
    """Check `value` and return an independent copy of its containers.

    JobState stores and hands out snapshots so that neither the caller nor a
    concurrent reader can change stored data behind the JobState's lock.
    """
    cls = type(value)
    if cls in _SCALARS:
        if cls is float and value - value != 0:
            _not_finite(value, where)
        return value
    check_payload(value, where)
    return copy_json(value)


def freeze(value: Any, where: str, _depth: int = 0) -> Any:
    """Check `value` and return an independent copy of its containers, in one pass.

    This is what an emit does once: the copy is the engine's, so neither the emitter
    nor any receiver can change what the others (and the history) hold. Lists and
    dicts of scalars, the bulk of big payloads, are checked and copied in C. The
    rules (and messages) are `check_payload`'s.
    """
    cls = type(value)
    if cls in _SCALARS:
        if cls is float and value - value != 0:
            _not_finite(value, where)
        return value
    if _depth >= MAX_PAYLOAD_DEPTH or not (cls is dict or cls is list or cls is tuple):
        check_payload(value, where, _depth)  # raises, or accepts subclasses of str, dict ...
        return copy_json(value)
    if cls is dict:
        if set(map(type, value)) <= _STR:
            kinds = set(map(type, value.values()))
            if kinds <= _SCALARS and (float not in kinds or _finite(value.values())):
                return dict(value)
        copy = {}
        for key, item in value.items():
            if type(key) is not str:
                _fail(f"{where}: key {key!r} is a {type(key).__name__}; keys must be str", where)
            kind = type(item)
            copy[key] = (
                item
                if kind in _SCALARS and kind is not float
                else freeze(item, f"{where}[{key!r}]", _depth + 1)
            )
        return copy
    kinds = set(map(type, value))
    if kinds <= _SCALARS and (float not in kinds or _finite(value)):
        return value if cls is tuple else list(value)  # a tuple of scalars is immutable
    items = [
        v
        if type(v) in _SCALARS and type(v) is not float
        else freeze(v, f"{where}[{i}]", _depth + 1)
        for i, v in enumerate(value)
    ]
    return tuple(items) if cls is tuple else items


def copy_any(value: Any, where: str, _depth: int = 0) -> Any:
    """Copy the dicts, lists and tuples of any data a job that is never saved takes
    (tuples stay tuples; other objects are passed on as they are), refusing data
    nested deeper than `MAX_PAYLOAD_DEPTH` as `check_payload` does."""
    cls = type(value)
    if cls in _SCALARS:
        return value
    if _depth >= MAX_PAYLOAD_DEPTH and isinstance(value, (dict, list, tuple)):
        check_payload(value, where, _depth)  # raises, naming the limit
    if isinstance(value, dict):
        return {
            k: v if type(v) in _SCALARS else copy_any(v, f"{where}[{k!r}]", _depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        items = [
            v if type(v) in _SCALARS else copy_any(v, f"{where}[{i}]", _depth + 1)
            for i, v in enumerate(value)
        ]
        return tuple(items) if cls is tuple else items
    return value


def _finite(values: Any) -> bool:
    """Whether the floats among `values` are all finite (False also when unsure)."""
    try:
        return math.isfinite(math.fsum(v for v in values if type(v) is float))
    except (OverflowError, ValueError):
        return False


def copy_json(value: Any) -> Any:
    """Copy the dicts, lists and tuples of `value` (a checked JSON-compatible value, or
    the data of a job that is never saved); any other object is passed on as it is."""
    cls = type(value)
    if cls is dict:
        return {k: (v if type(v) in _SCALARS else copy_json(v)) for k, v in value.items()}
    if cls is list:
        if set(map(type, value)) <= _SCALARS:  # in C: the common big case
            return list(value)
        return [v if type(v) in _SCALARS else copy_json(v) for v in value]
    if cls is tuple:
        if set(map(type, value)) <= _SCALARS:
            return value  # immutable all the way down
        return tuple(v if type(v) in _SCALARS else copy_json(v) for v in value)
    if isinstance(value, dict):
        return copy_json(dict(value))
    if isinstance(value, (list, tuple)):
        return copy_json(list(value))
    return value


def stable_copy(value: Any) -> Any:
    """Copy the dicts, lists and tuples of `value` that a handler thread may be changing
    as this runs (the values a job that is never saved hands out): each container is
    copied in one C call first (atomic under the GIL; under the container's own lock on
    free-threaded CPython), so no iteration here meets a change half-way."""
    cls = type(value)
    if isinstance(value, dict):
        return {k: stable_copy(v) for k, v in dict(value).items()}
    if cls is list or isinstance(value, list):
        return [stable_copy(v) for v in list(value)]
    if cls is tuple:
        return tuple(stable_copy(v) for v in value)
    return value


def _not_finite(value: float, where: str) -> None:
    _fail(
        f"{where}: {value!r} is not a finite number; JSON has no NaN or Infinity "
        "(store None, or the value as a string)",
        where,
    )


def _fail(message: str, path: str) -> None:
    raise NotSerializableError(message, path)
