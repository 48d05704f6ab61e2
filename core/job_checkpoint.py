"""JobCheckpoint: what a store's checkpoint reads from a JobState, at once under its lock.

`changes_since` answers "what changed since this store's mark": the new history,
shared-log and output-log entries, the pending activations added and removed
(from the journal `routilux.job_work` keeps while a store checkpoints the job),
and the saved "document" fields as JSON text, all numbered with the next
checkpoint sequence. `routilux.checkpoint` makes the store's delta of it.

A base class of `JobState`, which declares the fields. It is its own module
because it is the one reader of every saved field at once, separate from the
engine's transactions that change them.
"""

from __future__ import annotations

import functools
import operator
import threading
from collections import deque
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from .job_changes import CheckpointMark, JobChanges, encode_json, tail
from .records import HistoryEntry, JobStatus, SlotActivation
from .saved_fields import saved_fields


class JobCheckpoint:
    """The checkpoint reads of a `JobState` (see the module docstring)."""

    if not TYPE_CHECKING:  # no __dict__ for JobState
        __slots__ = ()

    # Declared by JobState; named here for type checkers (and imported at run time,
    # for tools that read them from the source).
    if TYPE_CHECKING:
        flow_id: str
        created_at: datetime
        _status: JobStatus
        _lock: threading.Lock
        _checkpoint_seq: int
        _pending: dict[int, SlotActivation]
        _pending_journal: list[tuple[int, SlotActivation | None]] | None
        _journal_base: int
        _journal_epoch: int
        _execution_history: deque[HistoryEntry]
        _shared_log: deque[dict[str, Any]]
        _output_log: deque[dict[str, Any]]
        _history_total: int
        _shared_log_total: int
        _output_log_total: int

        @property
        def updated_at(self) -> datetime: ...

    @property
    def checkpoint_seq(self) -> int:
        """The sequence number of this job's last checkpoint snapshot (0: none)."""
        return self._checkpoint_seq

    def next_checkpoint_seq(self) -> int:
        """Number a checkpoint snapshot about to be taken; call with the lock held."""
        self._checkpoint_seq += 1
        return self._checkpoint_seq

    def changes_since(self, mark: CheckpointMark | None, stamp: dict[str, Any]) -> JobChanges:
        """What changed since a store's `mark` (None or stale: everything), read at once
        under the lock and numbered with the next checkpoint sequence. Forgets the
        pending changes the new mark covers (one store per job). The document is
        `stamp`, then the saved "document" fields, as JSON text."""
        with self._lock:
            seq = self.next_checkpoint_seq()
            journal, base, epoch = self._pending_journal, self._journal_base, self._journal_epoch
            totals = (self._history_total, self._shared_log_total, self._output_log_total)
            logs: tuple[deque[Any], ...] = (
                self._execution_history,
                self._shared_log,
                self._output_log,
            )
            full = (
                mark is None
                or journal is None
                or mark.epoch != epoch
                or mark.journal < base
                or mark.history > totals[0]
            )
            changed: dict[int, SlotActivation | None]
            if full:
                since, changed = (0, 0, 0), {a.seq: a for a in self._pending.values()}
            else:
                assert mark is not None and journal is not None
                since = (mark.history, mark.shared_log, mark.output_log)
                changed = dict(journal[mark.journal - base :])
            news = [tail(log, total - done) for log, total, done in zip(logs, totals, since)]
            end = base + len(journal or ())
            if journal:
                journal.clear()
                self._journal_base = end
            keys, read = _document_plan(cast(Hashable, type(self)))  # mypy: a class hashes
            values = dict(zip(keys, read(self)))
            created = values["created_at"] = self.created_at.isoformat()
            updated = values["updated_at"] = self.updated_at.isoformat()
            return JobChanges(
                mark=CheckpointMark(*totals, end, epoch, seq),
                full=full,
                logs=(news[0], news[1], news[2]),
                kept=(len(logs[0]), len(logs[1]), len(logs[2])),
                pending=[a.to_dict() for a in changed.values() if a is not None],
                removed=[s for s, a in changed.items() if a is None],
                document=encode_json({**stamp, **values}),
                flow_id=self.flow_id,
                status=self._status.value,
                created_at=created,
                updated_at=updated,
            )


@functools.cache
def _document_plan(cls: Any) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    """The keys of the saved fields of the checkpoint document of JobState class `cls`,
    and a function reading their values from one (one C call: a checkpoint per
    activation calls it; computed once per class)."""
    fields = [f for f in saved_fields(cls) if f.part == "document"]
    return tuple(f.key for f in fields), operator.attrgetter(*(f.read for f in fields))


__all__ = ["JobCheckpoint"]
