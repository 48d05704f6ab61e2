"""JobCheckpoint: what a store's checkpoint reads from a JobState, at once under its lock.

`changes_since` answers "what changed since this store's mark": the new history,
shared-log and output-log entries, the pending activations added and removed
(from the journal `routilux.job_work` keeps while a store checkpoints the job),
and the saved "document" fields as JSON text, all numbered with the next
checkpoint sequence, as the store's `JobDelta` (`routilux.checkpoint.checkpoint_delta`
makes its history entries rows).

A base class of `JobState`, which declares the fields. It is its own module
because it is the one reader of every saved field at once, separate from the
engine's transactions that change them.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .job_changes import CheckpointMark, JobDelta, encode_json, iso_datetime, tail
from .records import HistoryEntry, JobStatus, SlotActivation
from .saved_fields import saved_fields
from .times import iso_utc

#: See `_document_function`.
_Fill = Callable[[Any, dict[str, Any], dict[str, Any], str, str], dict[str, Any]]


class JobCheckpoint:
    """The checkpoint reads of a `JobState` (see the module docstring)."""

    if not TYPE_CHECKING:  # no __dict__ for JobState
        #: ``(fill, document, created_at, its ISO text)``: the document dict the last
        #: checkpoint filled, the `_document_function` that filled it, and the job's
        #: ``created_at`` it wrote (not an attrs field: never saved, copied nor
        #: compared; unset until the first checkpoint).
        __slots__ = ("_checkpoint_document",)

    if TYPE_CHECKING:
        _checkpoint_document: tuple[_Fill, dict[str, Any], datetime, str]
        # Declared by JobState; named here for type checkers (and imported at run
        # time, for tools that read them from the source).
        flow_id: str
        job_id: str
        created_at: datetime
        _status: JobStatus
        _lock: threading.Lock
        _checkpoint_seq: int
        _mtime: float
        _updated_at: datetime
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

    def changes_since(
        self, mark: CheckpointMark | None, stamp: dict[str, Any]
    ) -> tuple[JobDelta, CheckpointMark]:
        """What changed since a store's `mark` (None or stale: everything), read at once
        under the lock and numbered with the next checkpoint sequence, as the store's
        `JobDelta` (its new history entries as they are: `checkpoint_delta` makes them
        rows), and the new mark. Forgets the pending changes the new mark covers (one
        store per job). The document is `stamp`, then the saved "document" fields, as
        JSON text.

        A store checkpointing every activation calls this after each: it reads only
        what changed and makes few objects (the usual changes are one pending
        activation done and a new document)."""
        made = _DOCUMENTS.get(type(self))
        if made is None or stamp.keys() != made[0]:
            made = _DOCUMENTS[type(self)] = (
                frozenset(stamp),
                _document_function(type(self), stamp),
            )
        fill = made[1]
        pending: list[dict[str, Any]] = []
        removed: list[int] = []
        with self._lock:
            self._checkpoint_seq = seq = self._checkpoint_seq + 1
            journal, base, epoch = self._pending_journal, self._journal_base, self._journal_epoch
            history = self._history_total
            shared = self._shared_log_total
            outputs = self._output_log_total
            logs = self._execution_history, self._shared_log, self._output_log
            if (
                mark is None
                or journal is None
                or mark[4] != epoch  # the fields of a CheckpointMark, by index: no lookups
                or mark[3] < base
                or mark[0] > history
            ):
                full = True
                news = (list(logs[0]), list(logs[1]), list(logs[2]))
                pending = [a.to_dict() for a in self._pending.values()]
            else:
                full = False
                news = (
                    tail(logs[0], history - mark[0]) if history != mark[0] else [],
                    tail(logs[1], shared - mark[1]) if shared != mark[1] else [],
                    tail(logs[2], outputs - mark[2]) if outputs != mark[2] else [],
                )
                start = mark[3] - base
                if start < len(journal):
                    if len(journal) - start == 1:  # the usual: one activation done
                        key, activation = journal[start]
                        if activation is None:
                            removed.append(key)
                        else:
                            pending.append(activation.to_dict())
                    else:
                        for key, activation in dict(journal[start:]).items():
                            if activation is None:
                                removed.append(key)
                            else:
                                pending.append(activation.to_dict())
            end = base
            if journal:
                end += len(journal)
                journal.clear()
                self._journal_base = end
            try:
                last = self._checkpoint_document
            except AttributeError:  # the first checkpoint of this object
                last = None
            created_at = self.created_at
            if last is None or last[0] is not fill or last[2] is not created_at:
                # the first checkpoint, another stamp's keys (a new dict), or created_at
                # replaced (its text again)
                filled = {} if last is None or last[0] is not fill else last[1]
                last = (fill, filled, created_at, iso_datetime(created_at))
                self._checkpoint_document = last
            created = last[3]
            mtime = self._mtime
            updated = iso_utc(mtime) if mtime else iso_datetime(self._updated_at)
            document = encode_json(fill(self, last[1], stamp, created, updated))
            status = self._status._value_
            history_news, shared_news, output_news = news
            # made here, in one step: every field of the store's delta is read here
            delta = JobDelta(
                self.job_id,
                seq,
                self.flow_id,
                status,
                created,
                updated,
                full,
                document,
                history_news,  # entries: `checkpoint_delta` makes them rows, unlocked
                history - len(history_news),
                shared_news,
                shared - len(shared_news),
                output_news,
                outputs - len(output_news),
                pending,
                removed,
                history - len(logs[0]),  # the first entry each part keeps
                shared - len(logs[1]),
                outputs - len(logs[2]),
            )
        # tuple.__new__: a named tuple's own __new__ is a Python call
        return delta, _tuple(CheckpointMark, (history, shared, outputs, end, epoch, seq))


_tuple = tuple.__new__
#: Per JobState class: the keys of the stamp its `_document_function` was made for, and
#: that function (one dict lookup per checkpoint; made again for a stamp with other
#: keys; two threads making one at once make equal ones).
_DOCUMENTS: dict[type, tuple[frozenset[str], _Fill]] = {}


def _document_function(cls: Any, stamp: dict[str, Any]) -> _Fill:
    """A function ``(job, document, stamp, created_at, updated_at) -> document`` for
    JobState class `cls` and stamps with the keys of `stamp`: it sets `document`'s
    items to the stamp's, then each saved "document" field under its key, the two
    times as the given ISO text, and returns it.

    A checkpoint per activation makes a job's document on every activation: it fills
    the dict of the job's last checkpoint again (under the job's lock; its keys stay in
    the order of the first fill), which costs about half of making a dict, and a third
    of filling one from ``zip(keys, attrgetter(...)(job))``. Written out as one
    statement per key, made from the stamp's keys and the class's declared saved fields
    (as attrs writes its ``__init__``; never from a job's data)."""
    if not all(type(key) is str for key in stamp):  # a str's repr is a literal, nothing else
        raise TypeError(f"a checkpoint stamp's keys must be str: {list(stamp)!r}")
    lines = [f"    document[{key!r}] = stamp[{key!r}]\n" for key in stamp]
    for field in saved_fields(cls):
        if field.part != "document":
            continue
        if not field.read.isidentifier():  # pragma: no cover - attrs names are identifiers
            raise TypeError(f"{cls.__name__}: saved field {field.read!r} is not a name")
        lines.append(
            f"    document[{field.key!r}] = {_TIMES.get(field.key, 'job.' + field.read)}\n"
        )
    source = (
        "def fill(job, document, stamp, created_at, updated_at):\n"
        + "".join(lines)
        + "    return document\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<routilux checkpoint document of {cls.__name__}>", "exec"), namespace)
    return namespace["fill"]  # type: ignore[no-any-return]


#: Document keys whose values a checkpoint replaces by their ISO text (the parameters
#: of `_document_function`'s function).
_TIMES = {"created_at": "created_at", "updated_at": "updated_at"}


__all__ = ["JobCheckpoint"]
