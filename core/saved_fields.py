"""Which JobState fields are saved, declared once on the fields themselves.

Each JobState attrs field that is part of a saved job carries `saved(...)` in
its metadata: the key it is saved under, which part of a checkpoint it belongs
to, how to copy it under the JobState's lock, and whether a remote handler sees
it. Serialization (`routilux.serialization`), checkpoint deltas
(`routilux.checkpoint`) and remote snapshots (`routilux.remote`) are all derived
from these declarations, so a new saved field is one declaration plus its tests
(see the developer notes in the docs). Fields that live only while a job runs
(locks, waiters, counters) are ``init=False`` or marked `runtime()`; an init
argument that is neither is a TypeError naming it when the fields are derived.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

import attrs

from .payload import stable_copy

#: The part of a checkpoint a saved field belongs to: the small mutable
#: ``document``, an append-only ``log`` (stored as rows, written as deltas), or
#: the ``pending`` activations (upserted and deleted by seq).
Part = Literal["document", "log", "pending"]

_KEY = "routilux.saved"


@attrs.frozen
class SavedField:
    """How one JobState field is saved."""

    #: The attrs attribute name (``_shared_data``).
    attribute: str
    #: The init argument that restores it (``shared_data``).
    init_name: str
    #: The key in the serialized form and the checkpoint document.
    key: str
    part: Part
    #: Copies the value under the JobState's lock (the copy is then read unlocked).
    copy: Callable[[Any], Any]
    #: Sent to remote handlers in the activation's snapshot (they may read it).
    remote: bool
    #: The attribute read to save it, when not `attribute` (a property).
    read: str


def immutable(value: Any) -> Any:
    """The `copy` of a field whose values are never changed in place: none needed."""
    return value


def saved(
    part: Part = "document",
    copy: Callable[[Any], Any] = immutable,
    *,
    key: str | None = None,
    remote: bool = False,
    read: str | None = None,
) -> dict[str, Any]:
    """Field metadata declaring a saved field: ``attrs.field(metadata=saved(...))``.

    `copy` must return a copy independent of later changes (``list`` for a list
    of never-mutated entries, ``copy_json`` for nested data); immutable values
    need none. `key` defaults to the attribute name without its leading ``_``.
    """
    return {_KEY: {"part": part, "copy": copy, "key": key, "remote": remote, "read": read}}


def runtime() -> dict[str, Any]:
    """Field metadata for an init argument that is deliberately never saved."""
    return {_KEY: None}


@functools.cache
def saved_fields(cls: type) -> tuple[SavedField, ...]:
    """The saved fields of an attrs class, in declaration order (computed once)."""
    found = []
    for field in attrs.fields(cls):
        if _KEY not in field.metadata:
            if field.init:
                raise TypeError(
                    f"{cls.__name__}.{field.name} is neither saved(...) nor runtime(): "
                    "declare whether a saved job keeps it (routilux.saved_fields)"
                )
            continue
        spec = field.metadata[_KEY]
        if spec is None:
            continue
        init_name = field.alias or field.name.lstrip("_")
        found.append(
            SavedField(
                attribute=field.name,
                init_name=init_name,
                key=spec["key"] or field.name.lstrip("_"),
                part=spec["part"],
                copy=spec["copy"],
                remote=spec["remote"],
                read=spec["read"] or field.name,
            )
        )
    return tuple(found)


def runtime_fields(cls: type) -> tuple[str, ...]:
    """The attribute names of an attrs class's fields that are not saved."""
    kept = {f.attribute for f in saved_fields(cls)}
    return tuple(f.name for f in attrs.fields(cls) if f.name not in kept)


#: Saved fields whose values a job that is never saved shares with its handlers, which
#: change them in place without the job's lock (`JobData.get_routine_state`).
SHARED_WITH_HANDLERS = frozenset({"routine_states", "shared_data"})


def copy_of(field: SavedField, shared: bool) -> Callable[[Any], Any]:
    """The copy to take of `field`: its own, or, when the job `shared` its values with
    its handlers (it is never saved), one that copies each container in one step."""
    if shared and field.init_name in SHARED_WITH_HANDLERS:
        return stable_copy
    return field.copy
