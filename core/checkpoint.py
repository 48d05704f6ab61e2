"""Checkpoints that cost O(what changed): deltas of a JobState for stores.

A store keeps, per job, the `CheckpointMark` of its last save (`CheckpointTracker`
does the bookkeeping) and asks `checkpoint_delta` what changed since (which the
JobState reads under its lock at once, `JobState.changes_since`): the new
history, shared-log and output-log entries (append-only parts, stored as rows or
list entries), the pending activations added or removed (tracked by seq in the
JobState's journal while a flow checkpoints every activation), and the small
mutable rest as one JSON document. `assemble_job_state` rebuilds a JobState from the
stored parts. With an unknown or stale mark the delta is ``full``: the store
replaces everything it holds for the job.
"""

from __future__ import annotations

import threading
from typing import Any

from .errors import SerializationError
from .job_changes import CheckpointMark, JobDelta
from .job_state import JobState
from .saved_fields import saved_fields
from .serialization import (
    SCHEMA_VERSION,
    converter,
    copy_saved,
    history_rows,
    structure_job_state,
)

#: The keys of the checkpoint document: every saved field of the "document" part.
_DOCUMENT_KEYS = tuple(f.key for f in saved_fields(JobState) if f.part == "document")
#: The append-only parts, each written as a delta of new entries (see JobDelta).
_LOG_KEYS = ("execution_history", "shared_log", "output_log")
if tuple(f.key for f in saved_fields(JobState) if f.part == "log") != _LOG_KEYS:  # pragma: no cover
    raise TypeError(
        "JobState's append-only saved fields changed: give the new one its delta in "
        "JobDelta, JobState.changes_since, assemble_job_state and the stores"
    )
#: What the document starts with (the version `structure_job_state` migrates from).
_STAMP = {"schema_version": SCHEMA_VERSION}


def checkpoint_delta(
    job_state: JobState, mark: CheckpointMark | None
) -> tuple[JobDelta, CheckpointMark]:
    """The changes of `job_state` since `mark` (None: everything), and the new mark.

    A store keeps the returned mark per job and passes it back on the next
    save. One store per job: taking a delta forgets journal entries the mark
    has passed.
    """
    delta, new = job_state.changes_since(mark, _STAMP)
    if delta.history:  # the job's new entries, made store rows outside its lock
        delta.history = history_rows(delta.history)
    return delta, new


def checkpoint_document(job_state: JobState) -> tuple[int, dict[str, Any]]:
    """The whole serialized job for a store that writes documents, with the new
    checkpoint sequence it carries (taken under the job's lock, so sequences and
    snapshots are in the same order)."""
    with job_state.lock:
        seq = job_state.next_checkpoint_seq()
        copy = JobState(**copy_saved(job_state, ("document", "log", "pending")))
    return seq, {"schema_version": SCHEMA_VERSION, **converter().unstructure(copy)}


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
            if kept is None or kept[5] < mark[5]:  # their seqs (by index: no lookups)
                self._marks[delta.job_id] = mark
            stats = self.stats
            stats["saves"] += 1
            if delta.full:
                stats["full_saves"] += 1
            if delta.history:
                stats["history_rows_written"] += len(delta.history)

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


__all__ = [
    "CheckpointMark",
    "CheckpointTracker",
    "JobDelta",
    "assemble_job_state",
    "checkpoint_delta",
    "checkpoint_document",
]
