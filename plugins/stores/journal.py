"""The file store's journal: checkpoint deltas appended to a file, replayed on load.

A job is a snapshot (``<job_id>.json``, the serialized JobState, written atomically)
plus a journal (``<job_id>.journal``): one line of JSON per save since the snapshot,
each a `routilux.checkpoint.JobDelta`. A save appends one line (fsynced), so a
checkpoint costs what changed; when the journal outgrows the snapshot, the next save
writes a new snapshot and empties the journal.

Replaying is idempotent (deltas set positions, pending activations and the document;
they never add to what is there), so a crash between a new snapshot and emptying the
journal replays old lines onto the new snapshot and ends in the same state. A line
torn by a crash is the last one and is ignored: the job is as of the save before.
"""

from __future__ import annotations

import json
from typing import Any

from routilux import SerializationError

_LOGS = (
    ("history", "execution_history"),
    ("shared_log", "shared_log"),
    ("output_log", "output_log"),
)


class JobParts:
    """A job as the parts deltas update: document, logs (from an index on), pending."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        data = dict(snapshot)
        self.logs: dict[str, list[Any]] = {}
        self.firsts: dict[str, int] = {}
        totals = {
            "history": data.get("history_total", 0),
            "shared_log": data.get("shared_log_total", 0),
            "output_log": data.get("output_log_total", 0),
        }
        for part, key in _LOGS:
            entries = data.pop(key, [])
            if not isinstance(entries, list):
                raise SerializationError(f"{key} must be a list")
            self.logs[part] = list(entries)
            total = totals[part] if isinstance(totals[part], int) else 0
            self.firsts[part] = max(total - len(entries), 0)
        pending = data.pop("pending_tasks", [])
        if not isinstance(pending, list):
            raise SerializationError("pending_tasks must be a list")
        self.pending: dict[Any, Any] = {
            t.get("seq") if isinstance(t, dict) else i: t for i, t in enumerate(pending)
        }
        self.document = data

    def apply(self, delta: dict[str, Any]) -> None:
        """Apply one journal line (a JobDelta as a dict)."""
        if delta["full"]:
            for part in self.logs:
                self.logs[part] = []
                self.firsts[part] = delta[f"{part}_start"]
            self.pending = {}
        self.document = delta["document"]
        for part in self.logs:
            entries, offset = self.logs[part], self.firsts[part]
            start, first = delta[f"{part}_start"], delta.get(f"{part}_first", 0)
            if not entries or start - offset > len(entries):  # a gap: entries fell out
                entries.clear()
                offset = start
            del entries[max(start - offset, 0) :]
            entries.extend(delta[part])
            if first > offset:
                del entries[: first - offset]
                offset = first
            self.firsts[part] = offset
        for task in delta["pending_upserts"]:
            self.pending[task["seq"]] = task
        for seq in delta["pending_deletes"]:
            self.pending.pop(seq, None)

    def serialized(self) -> dict[str, Any]:
        """The job as `JobState.serialize` would give it."""
        data = dict(self.document)
        for part, key in _LOGS:
            data[key] = list(self.logs[part])
        data["pending_tasks"] = [self.pending[seq] for seq in sorted(self.pending, key=_seq_key)]
        return data


def _seq_key(seq: Any) -> tuple[int, Any]:
    return (0, seq) if isinstance(seq, int) else (1, str(seq))


def replay(snapshot: dict[str, Any], journal: str, where: str) -> dict[str, Any]:
    """The serialized job: `snapshot` with the journal's complete lines applied."""
    lines = journal.split("\n")
    complete, torn = lines[:-1], lines[-1]  # text after the last newline: a torn write
    del torn
    if not complete:
        return snapshot
    parts = JobParts(snapshot)
    for number, line in enumerate(complete, 1):
        try:
            delta = json.loads(line)
            parts.apply(delta)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SerializationError(
                f"{where}: journal line {number} is corrupt ({type(exc).__name__}: {exc}); "
                "delete the .journal file to load the job as of its last snapshot"
            ) from None
    return parts.serialized()
