"""What a checkpoint reads of a job: `CheckpointMark` and `JobDelta`.

A store's checkpoint asks `JobState.changes_since(mark)` what changed since its
last save; the JobState answers under its lock, at once, with the `JobDelta` the
store writes (`routilux.checkpoint.checkpoint_delta` then makes its new history
entries rows). Kept apart from both so that job_state and checkpoint share these
types without a cycle.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections import deque
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any, NamedTuple

import attrs

from .times import utc_iso


class CheckpointMark(NamedTuple):
    """How far a store has persisted a job (opaque to stores).

    A named tuple rather than an attrs class: one is made per checkpoint, and a
    checkpoint per activation must cost little more than the write itself."""

    history: int
    shared_log: int
    output_log: int
    journal: int
    epoch: int
    seq: int = 0


@attrs.define(slots=False)
class JobDelta:
    """What changed in a job since a store's last save of it (read-only for stores;
    not frozen only because one is made per checkpoint, and a frozen attrs class
    costs a few microseconds more to make). Not slotted either: attrs gives a slotted
    class with a cached property a ``__getattr__``, which makes every attribute read
    (a store reads about twenty per save) a slow generic lookup.

    With `full`, the store must replace everything it holds for the job with
    this delta's content (`history` etc. then hold every entry, from index 0).
    Otherwise the append-only parts hold only new entries, starting at the
    given index (indexes count every entry the job ever made, kept or not), and
    `pending_upserts`/`pending_deletes` update the pending set.
    `document_json` is the small mutable rest (status, routine states, shared
    data, buffers, deferred events, pause points, metadata) as JSON text, which
    a store can write as it is; `document` is the same decoded. `seq` is the
    snapshot's checkpoint sequence: a store applies a delta only if `seq` is
    higher than the sequence it holds for the job.
    """

    job_id: str
    seq: int
    flow_id: str
    status: str
    created_at: str
    updated_at: str
    full: bool
    document_json: str
    #: The new history records as store rows (dicts); in what `JobState.changes_since`
    #: returns, the job's entries (tuples), which `checkpoint_delta` makes rows.
    history: list[Any]
    history_start: int
    shared_log: list[dict[str, Any]]
    shared_log_start: int
    output_log: list[dict[str, Any]]
    output_log_start: int
    pending_upserts: list[dict[str, Any]]
    pending_deletes: list[int]
    #: The index of the oldest entry each part keeps: a store drops its entries
    #: below it, so that it keeps what the job keeps (the job's ``history`` bound).
    history_first: int = 0
    shared_log_first: int = 0
    output_log_first: int = 0

    @functools.cached_property
    def document(self) -> dict[str, Any]:
        """The document as JSON data (a new dict the first time it is read)."""
        return json.loads(self.document_json)  # type: ignore[no-any-return]


def tail(log: deque[Any], count: int) -> list[Any]:
    """The last `count` entries of `log`, or all it has if fewer."""
    if count <= 0:
        return []
    if count >= len(log):
        return list(log)
    entries = list(itertools.islice(reversed(log), count))
    entries.reverse()
    return entries


@functools.lru_cache(maxsize=256)
def iso_datetime(value: datetime) -> str:
    """`value` in UTC as ISO 8601 (a naive `value` is local time), remembered: a job's
    ``created_at`` is written into every checkpoint of it, unchanged."""
    return utc_iso(value)


def _plain(value: Any) -> Any:
    """The JSON form of what a document holds besides JSON data: datetimes, enums."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON data")


def _stdlib_encoder() -> Callable[[Any], str]:
    """`encode_json` with the standard library only: the C encoder made once (where the
    interpreter has it) rather than on each call as ``json.dumps`` does."""
    encoder = json.JSONEncoder(separators=(",", ":"), default=_plain)
    make = getattr(json.encoder, "c_make_encoder", None)
    try:
        chunks = make(  # type: ignore[misc]
            None, _plain, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True
        )
    except TypeError:  # pragma: no cover - no C encoder, or another signature
        return encoder.encode
    return lambda document: "".join(chunks(document, 0))


def _encoder() -> Callable[[Any], str]:
    """Compact JSON text of JSON data (datetimes and enums as `_plain` says). A
    checkpoint encodes the job's document with it under the job's lock (encoding is
    the copy, in C), and stores their rows.

    orjson encodes a job's document about 4x faster than the standard library's C
    encoder, which a checkpoint per activation pays on every activation. What orjson
    refuses (ints beyond 64 bits, lone surrogates, a str subclass as a key) is
    encoded by the standard library instead, so the two accept the same data; both
    texts read back as the same values (orjson writes non-ASCII as UTF-8, the
    standard library as escapes)."""
    stdlib = _stdlib_encoder()
    try:
        import orjson
    except ImportError:  # not installed: the `fast` extra (no build for free-threaded CPython)
        return stdlib
    dumps = orjson.dumps
    # datetimes as _plain writes them; dataclasses refused, as the standard library does
    option = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def encode(document: Any) -> str:
        try:
            return dumps(document, _plain, option).decode()
        except TypeError:  # orjson.JSONEncodeError: data only the standard library takes
            return stdlib(document)

    return encode


encode_json = _encoder()
