"""Checkpoints that cost O(what changed): deltas of a JobState for stores.

A store keeps, per job, the `CheckpointMark` of its last save (`CheckpointTracker`
does the bookkeeping) and asks `checkpoint_delta` what changed since: the new
history, shared-log and output-log entries (append-only parts, stored as rows or
list entries), the pending activations added or removed (tracked by seq in the
JobState's journal while a flow checkpoints every activation), and the small
mutable rest as one document. `assemble_job_state` rebuilds a JobState from the
stored parts. With an unknown or stale mark the delta is ``full``: the store
replaces everything it holds for the job.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from .errors import SerializationError
from .job_state import JobState
from .payload import copy_json
from .records import SlotActivation
from .saved_fields import saved_fields
from .serialization import (
    SCHEMA_VERSION,
    _copy_locked,
    converter,
    history_entry_to_dict,
    structure_job_state,
)


@attrs.frozen
class CheckpointMark:
    """How far a store has persisted a job (opaque to stores)."""

    history: int
    shared_log: int
    output_log: int
    journal: int
    epoch: int
    seq: int = 0


@attrs.frozen
class JobDelta:
    """What changed in a job since a store's last save of it.

    With `full`, the store must replace everything it holds for the job with
    this delta's content (`history` etc. then hold every entry, from index 0).
    Otherwise the append-only parts hold only new entries, starting at the
    given index (indexes count every entry the job ever made, kept or not), and `pending_upserts`/`pending_deletes` update the pending set.
    `document` is the small mutable rest (status, routine states, shared
    data, buffers, deferred events, pause points, metadata). `seq` is the
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
    document: dict[str, Any]
    history: list[dict[str, Any]]
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


#: The keys of the checkpoint document: every saved field of the "document" part.
_DOCUMENT_KEYS = tuple(f.key for f in saved_fields(JobState) if f.part == "document")
#: The append-only parts, each written as a delta of new entries (see JobDelta).
_LOG_KEYS = ("execution_history", "shared_log", "output_log")
if tuple(f.key for f in saved_fields(JobState) if f.part == "log") != _LOG_KEYS:  # pragma: no cover
    raise TypeError(
        "JobState's append-only saved fields changed: give the new one its delta in "
        "JobDelta, checkpoint_delta, assemble_job_state and the stores"
    )


def checkpoint_delta(
    job_state: JobState, mark: CheckpointMark | None
) -> tuple[JobDelta, CheckpointMark]:
    """The changes of `job_state` since `mark` (None: everything), and the new mark.

    A store keeps the returned mark per job and passes it back on the next
    save. One store per job: taking a delta forgets journal entries the mark
    has passed.
    """
    with job_state.lock:
        job_state._checkpoint_seq += 1
        checkpoint_seq = job_state._checkpoint_seq
        journal = job_state._pending_journal
        epoch = job_state._journal_epoch
        totals = (
            job_state._history_total,
            job_state._shared_log_total,
            job_state._output_log_total,
        )
        journal_end = job_state._journal_base + (len(journal) if journal is not None else 0)
        full = (
            mark is None
            or journal is None
            or mark.epoch != epoch
            or mark.journal < job_state._journal_base
            or mark.history > totals[0]
        )
        logs: tuple[deque[Any], ...] = (
            job_state._execution_history,
            job_state._shared_log,
            job_state._output_log,
        )
        # the first index each part still keeps (older entries fell out of its bound)
        firsts = tuple(total - len(log) for total, log in zip(totals, logs))
        if full:
            parts: list[list[Any]] = [list(log) for log in logs]
            upserts = list(job_state._pending.values())
            deletes: list[int] = []
            starts = firsts
        else:
            assert mark is not None and journal is not None
            since = (mark.history, mark.shared_log, mark.output_log)
            parts = [_tail(log, total - done) for log, total, done in zip(logs, totals, since)]
            starts = tuple(total - len(part) for total, part in zip(totals, parts))
            changed: dict[int, SlotActivation | None] = {}
            for seq, activation in journal[mark.journal - job_state._journal_base :]:
                changed[seq] = activation
            upserts = [a for a in changed.values() if a is not None]
            deletes = [seq for seq, a in changed.items() if a is None]
        history, shared, outputs = parts
        pending_rows = [_activation_row(a) for a in upserts]
        document = _document_of(job_state)
        if journal is not None:
            journal.clear()
            job_state._journal_base = journal_end
    delta = JobDelta(
        job_id=job_state.job_id,
        seq=checkpoint_seq,
        flow_id=document["flow_id"],
        status=document["status"],
        created_at=document["created_at"],
        updated_at=document["updated_at"],
        full=full,
        document=document,
        history=[history_entry_to_dict(e) for e in history],
        history_start=starts[0],
        shared_log=shared,
        shared_log_start=starts[1],
        output_log=outputs,
        output_log_start=starts[2],
        pending_upserts=pending_rows,
        pending_deletes=deletes,
        history_first=firsts[0],
        shared_log_first=firsts[1],
        output_log_first=firsts[2],
    )
    return delta, CheckpointMark(*totals, journal_end, epoch, checkpoint_seq)


def checkpoint_document(job_state: JobState) -> tuple[int, dict[str, Any]]:
    """The whole serialized job for a store that writes documents, with the new
    checkpoint sequence it carries (taken under the job's lock, so sequences and
    snapshots are in the same order)."""
    with job_state.lock:
        job_state._checkpoint_seq += 1
        copy = _copy_locked(job_state)
    return copy._checkpoint_seq, {
        "schema_version": SCHEMA_VERSION,
        **converter().unstructure(copy),
    }


def _document_of(job_state: JobState) -> dict[str, Any]:
    """The small mutable rest of `job_state` as serialized (call with its lock held):
    its saved fields of the "document" part, as JSON data.

    Built directly rather than through a JobState copy and the converter: a
    checkpoint after every activation makes one of these each time.
    """
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for key, read in _DOCUMENT_PLAN:
        document[key] = _plain(getattr(job_state, read))
    return document


_DOCUMENT_PLAN = tuple((f.key, f.read) for f in saved_fields(JobState) if f.part == "document")


def _plain(value: Any) -> Any:
    """`value` as independent JSON data: datetimes as ISO strings, enums as values."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return copy_json(value)


def _activation_row(a: SlotActivation) -> dict[str, Any]:
    """A pending activation as serialized (``pending_tasks`` entries)."""
    return {
        "routine_id": a.routine_id,
        "slot": a.slot_name,
        "data": copy_json(a.data),
        "attempt": a.attempt,
        "merged": a.merged,
        "seq": a.seq,
    }


def _tail(log: Any, count: int) -> list[Any]:
    """The last `count` entries of `log` (a deque), or all it has if fewer."""
    if count <= 0:
        return []
    if count >= len(log):
        return list(log)
    tail = list(itertools.islice(reversed(log), count))
    tail.reverse()
    return tail


class CheckpointTracker:
    """What one store has saved of each job: the mark `checkpoint_delta` needs, and
    counts of what the saves wrote (``stats``, which lets tests see that checkpoints
    write only what changed). Stores call `delta` before a save and `saved` after it
    committed; a save that failed is simply not reported, and the next one is full."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._marks: dict[str, CheckpointMark] = {}
        self.stats = {"saves": 0, "full_saves": 0, "history_rows_written": 0}

    def delta(self, job_state: JobState) -> tuple[JobDelta, CheckpointMark]:
        """What changed in `job_state` since this store last saved it."""
        with self._lock:
            mark = self._marks.get(job_state.job_id)
        return checkpoint_delta(job_state, mark)

    def saved(self, delta: JobDelta, mark: CheckpointMark) -> None:
        """Record that `delta` is now in the store (a mark older than the one kept,
        from a save that raced with a newer one, is ignored)."""
        with self._lock:
            kept = self._marks.get(delta.job_id)
            if kept is None or kept.seq < mark.seq:
                self._marks[delta.job_id] = mark
            self.stats["saves"] += 1
            self.stats["full_saves"] += int(delta.full)
            self.stats["history_rows_written"] += len(delta.history)

    def forget(self, job_id: str | None = None) -> None:
        """Forget one job (deleted) or all (store closed): their next saves are full."""
        with self._lock:
            if job_id is None:
                self._marks.clear()
            else:
                self._marks.pop(job_id, None)


def assemble_job_state(
    document: dict[str, Any],
    history: list[Any],
    shared_log: list[Any],
    output_log: list[Any],
    pending: list[Any],
) -> JobState:
    """Rebuild a JobState from the parts a delta-writing store keeps."""
    if not isinstance(document, dict):
        raise SerializationError(f"malformed stored job document: {type(document).__name__}")
    data = dict(document)
    data["execution_history"] = history
    data["shared_log"] = shared_log
    data["output_log"] = output_log
    data["pending_tasks"] = sorted(
        pending, key=lambda t: t.get("seq", 0) if isinstance(t, dict) else 0
    )
    return structure_job_state(data)
