"""The small data a JobState is made of: its id, statuses, history records, pending activations."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from os import urandom
from typing import Any, TypeVar

import attrs

from .errors import JobStateError, SerializationError
from .payload import copy_json
from .times import local_naive, now_local


class JobStatus(str, Enum):
    """Job statuses, as `JobState.status` returns them.

    str-valued, so ``job.status == "completed"`` holds and a status serializes
    as its plain value.
    """

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    PAUSED = "paused"
    CANCELLED = "cancelled"

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        # printed inside lists and dicts as routilux 0.10 printed its str statuses
        return repr(self.value)


class RoutineStatus(str, Enum):
    """Routine statuses kept under ``routine_states[routine_id]["status"]``.

    A state dict holds the plain string value (it is JSON data like the rest of
    the dict); being str-valued, the members compare equal to it.
    """

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    ERROR_CONTINUED = "error_continued"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


JOB_STATUSES = frozenset(s.value for s in JobStatus)


def job_status(value: JobStatus | str) -> JobStatus:
    """The JobStatus named by `value` (a member or its string value)."""
    if type(value) is JobStatus:
        return value  # every new JobState converts its default: skip the Enum lookup
    try:
        return JobStatus(value)
    except ValueError:
        raise JobStateError(
            f"unknown job status {value!r}; use one of {sorted(JOB_STATUSES)}"
        ) from None


def new_job_id() -> str:
    """A new job id: a random version-4 UUID as text."""
    # From os.urandom, as uuid.uuid4 is: job ids are unpredictable, and a program that
    # seeds `random` (for reproducible handlers, say) does not repeat the ids of another
    # run of itself in a shared store. Formatted here from the hex text (1 µs, once per
    # job; 2.7 µs through uuid.UUID): the version digit is 4, and the variant digit one
    # of 8, 9, a, b (RFC 4122), its two low bits random; 122 random bits as uuid4's.
    h = urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


#: A random hex digit -> the RFC 4122 variant digit (0b10xx) with its two low bits.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def _dict_or_empty(value: dict[str, Any] | None) -> dict[str, Any]:
    return {} if value is None else value


@attrs.define(slots=True, repr=False, on_setattr=attrs.setters.NO_OP)
class ExecutionRecord:
    """One entry of a job's history: a routine emitted an event, started, failed, ...

    `event_name` is an event name, or one of ``start``, ``completed``, ``failed``,
    ``cancelled``, ``error``, ``error_continued``, ``skipped``, ``retry``.
    """

    routine_id: str = ""
    event_name: str = ""
    data: dict[str, Any] = attrs.field(factory=dict, converter=_dict_or_empty)
    timestamp: datetime = attrs.field(factory=now_local)

    def __repr__(self) -> str:
        return f"ExecutionRecord[{self.routine_id}.{self.event_name}@{self.timestamp}]"

    def serialize(self) -> dict[str, Any]:
        """JSON-compatible form with routilux 0.10's keys (timestamp in ISO 8601)."""
        return {
            "_type": "ExecutionRecord",
            "routine_id": self.routine_id,
            "event_name": self.event_name,
            "data": copy_json(self.data),
            "timestamp": self.timestamp.isoformat(),
        }

    def deserialize(self, data: dict[str, Any]) -> ExecutionRecord:
        """Take the content of `serialize` output (0.10's too); returns self."""
        if not isinstance(data, dict):
            raise SerializationError(
                f"a serialized ExecutionRecord must be a mapping, not {type(data).__name__}"
            )
        self.routine_id = str(data.get("routine_id", ""))
        self.event_name = str(data.get("event_name", ""))
        self.data = copy_json(data.get("data") or {})
        stamp = data.get("timestamp")
        if isinstance(stamp, str):
            self.timestamp = local_naive(datetime.fromisoformat(stamp))
        elif isinstance(stamp, datetime):
            self.timestamp = stamp
        return self


@attrs.define(slots=True, eq=False, repr=False, on_setattr=attrs.setters.NO_OP)
class SlotActivation:
    """One delivery waiting for (or running in) a slot handler of one job.

    `seq` is unique within the job; `attempt` counts earlier failed runs;
    `merged` says `data` already went through the slot's merge (a retry must
    not merge it twice).
    """

    routine_id: str
    slot_name: str
    data: dict[str, Any]
    attempt: int = 0
    merged: bool = False
    seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The serialized form kept in ``JobState.pending_tasks``."""
        return {
            "seq": self.seq,
            "routine_id": self.routine_id,
            "slot": self.slot_name,
            "data": copy_json(self.data),
            "attempt": self.attempt,
            "merged": self.merged,
        }

    def __repr__(self) -> str:
        return f"SlotActivation[{self.routine_id}.{self.slot_name}#{self.seq}]"


_new = object.__new__


def new_activation(routine_id: str, slot_name: str, data: dict[str, Any]) -> SlotActivation:
    """``SlotActivation(routine_id, slot_name, data)``, made without calling the attrs
    ``__init__``: the emit path makes one per delivery, and a class call into a Python
    ``__init__`` costs about as much as all the assignments here."""
    activation: SlotActivation = _new(SlotActivation)
    activation.routine_id = routine_id
    activation.slot_name = slot_name
    activation.data = data
    activation.attempt = 0
    activation.merged = False
    activation.seq = 0
    return activation


def copy_activation(a: SlotActivation) -> SlotActivation:
    """An independent copy of an activation (its data copied too)."""
    return SlotActivation(a.routine_id, a.slot_name, copy_json(a.data), a.attempt, a.merged, a.seq)


def copy_pending(pending: dict[int, SlotActivation]) -> dict[int, SlotActivation]:
    """An independent copy of a JobState's pending activations."""
    return {seq: copy_activation(a) for seq, a in pending.items()}


HistoryEntry = tuple[str, str, dict[str, Any], float]


_TUPLE = frozenset({tuple})


def _history_entries(records: Iterable[Any]) -> deque[HistoryEntry]:
    """Accept ExecutionRecords (or entries) for the history field, copied (two jobs
    never share a history); ``()``, the field's default, is a new empty history bounded
    by the default limit."""
    if type(records) is tuple and not records:
        return deque((), DEFAULT_HISTORY_LIMIT)
    if type(records) is deque or (type(records) is list and set(map(type, records)) <= _TUPLE):
        return deque(records)  # entries (a copy of a history): in one call
    return deque(
        (r.routine_id, r.event_name, r.data, r.timestamp.timestamp())
        if isinstance(r, ExecutionRecord)
        else r
        for r in records
    )


def as_log(entries: Any) -> deque[Any]:
    """Accept any iterable for the shared or output log, copied (two jobs never share a
    log); ``()``, the field's default, is a new empty log bounded by the default limit."""
    if type(entries) is tuple and not entries:
        return deque((), DEFAULT_HISTORY_LIMIT)
    return deque(entries)


def copy_counts(counts: dict[str, list[int]]) -> dict[str, list[int]]:
    """An independent copy of a JobState's per-routine counts."""
    return {routine_id: list(c) for routine_id, c in counts.items()}


def record_of(entry: HistoryEntry) -> ExecutionRecord:
    """The ExecutionRecord for a history entry."""
    return ExecutionRecord(
        entry[0], entry[1], copy_json(entry[2]), datetime.fromtimestamp(entry[3])
    )


#: History records (and shared-log and output-log entries) a job keeps by default:
#: the most recent ones. Per-routine counts stay exact whatever is kept.
DEFAULT_HISTORY_LIMIT = 10_000
#: Indexes into a routine's counts (``JobState.routine_counts``).
ACTIVATIONS, EMITS, ERRORS = 0, 1, 2


def history_limit_of(value: Any, where: str = "history") -> int | None:
    """The record limit for a ``history`` option: an int >= 0, ``"full"`` (None: keep
    everything) or ``"off"`` (0: keep nothing). Raises `JobStateError` naming `where`."""
    if value is None or value == "full":
        return None
    if value == "off":
        return 0
    if type(value) is int and value >= 0:
        # more than a deque can bound (10**30): no job has that many, so keep all
        return None if value >= sys.maxsize else value
    raise JobStateError(
        f'{where} must be a number of records (>= 0), "full" or "off", not {value!r}'
    )


def _bounded(entries: Iterable[Any], limit: int | None) -> deque[Any]:
    # maxlen passed by position: as a keyword, deque() takes 4x longer (every new
    # JobState bounds three logs)
    return deque(entries, limit)


#: routilux 0.10's serializable classes here (`recorded_emit`): each marks itself
#: with `recorded_by_str` as its module is imported (under the import lock).
_OWN_OBJECTS: tuple[type, ...] = ()

_T = TypeVar("_T", bound=type)


def recorded_by_str(cls: _T) -> _T:
    """Mark `cls` as one of routilux's own objects, which an emit's history record
    keeps by its str() (`recorded_emit`)."""
    global _OWN_OBJECTS
    _OWN_OBJECTS = (*_OWN_OBJECTS, cls)
    return cls


def recorded_emit(data: dict[str, Any]) -> dict[str, Any]:
    """What an emit's history record keeps of `data` in a job that is never saved.

    As routilux 0.10 recorded it: each value that is one of routilux's own objects
    (a routine, flow, event, slot, connection, error handler, JobState, history
    record or execution tracker: 0.10's serializable classes) or a
    `serilux.Serializable` is kept as its str(); the deliveries get the objects
    themselves. `data` itself when it holds none of them.
    """
    own = _OWN_OBJECTS
    serilux = sys.modules.get("serilux")  # a user's class can be one only once imported
    if serilux is not None:
        own = (*own, serilux.Serializable)
    if not any(isinstance(value, own) for value in data.values()):
        return data
    return {k: str(v) if isinstance(v, own) else v for k, v in data.items()}


recorded_by_str(ExecutionRecord)
