"""The SQLite store's rows of many entries: a save's new records in few rows (schema 3).

A busy activation (a source emitting 500 items) makes a save of 500 history records and
500 pending activations. Written a row each, they cost a B-tree insert per row (about
4 µs of the save per activation in ``benchmarks/checkpoints.py``); written as a few rows
of up to `CHUNK` entries (a JSON array each) they cost a few inserts. So:

- the append-only parts (``history``, ``shared_log``, ``output_log``) hold a row per
  run of entries: ``idx`` is the index of its first entry, ``body`` a JSON array.
  Rows written before schema 3 hold one entry each (a JSON object); both read the same.
  A job's bound (its ``history`` option) drops whole rows below the first entry it keeps;
  the row holding that entry may start below it, and loads skip what the job's row
  says it no longer keeps (``jobs.history_first`` etc.).
- pending activations added by a save are rows of ``pending_chunks``: ``lo`` and ``hi``
  the first and last seq of its entries (sorted by seq), ``body`` a JSON array. An
  activation written again (a retry's attempt) is replaced in the row holding it (or,
  if none does, written to the older ``pending`` table, a row per activation, which
  schema 2 wrote and loads still read). Completed activations are listed in the job's
  row (the done list, `done_list`) and dropped from their rows in batches
  (`drop_done`), which rewrites the rows they share with activations still pending.
"""

from __future__ import annotations

import bisect
import json
import operator
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from routilux.job_changes import encode_json

from .done_list import DoneList, merged_ranges
from .sqlite_rows import insert_rows

#: Entries per row at most: a batch of completions rewrites at most this many entries
#: per row it shares with pending ones, and a row stays a few pages.
CHUNK = 128

SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_chunks (
    job_id TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (job_id, lo)) WITHOUT ROWID;
"""
#: The columns of the job's row that say which entry of each part it keeps first.
FIRSTS = ("history_first", "shared_log_first", "output_log_first")


def append_entries(
    connection: sqlite3.Connection,
    table: str,
    job_id: str,
    entries: Sequence[Any],
    start: int,
    first: int,
) -> None:
    """Write `entries` (numbered from `start`) to the append-only `table` in rows of up
    to `CHUNK`, and drop the rows wholly below `first` (the job's bound)."""
    insert_rows(
        connection,
        table,
        "idx",
        [
            (job_id, start + at, encode_json(entries[at : at + CHUNK]))
            for at in range(0, len(entries), CHUNK)
        ],
    )
    if first:  # every row that starts below the one holding entry `first`
        connection.execute(
            f"DELETE FROM {table} WHERE job_id = ? AND idx <"
            f" (SELECT MAX(idx) FROM {table} WHERE job_id = ? AND idx <= ?)",
            (job_id, job_id, first),
        )


def read_entries(connection: sqlite3.Connection, table: str, job_id: str, first: int) -> list[Any]:
    """The entries of `table` the job keeps (from index `first`), in order."""
    entries: list[Any] = []
    for idx, body in connection.execute(
        f"SELECT idx, body FROM {table} WHERE job_id = ? ORDER BY idx", (job_id,)
    ):
        value = json.loads(body)
        if type(value) is list:
            entries.extend(value[first - idx :] if idx < first else value)
        elif idx >= first:  # one entry (schema 2)
            entries.append(value)
    return entries


def top_seq(connection: sqlite3.Connection, job_id: str) -> int:
    """The highest seq of the job's stored pending activations (0: none)."""
    (chunks,) = connection.execute(
        "SELECT COALESCE(MAX(hi), 0) FROM pending_chunks WHERE job_id = ?", (job_id,)
    ).fetchone()
    (rows,) = connection.execute(
        "SELECT COALESCE(MAX(seq), 0) FROM pending WHERE job_id = ?", (job_id,)
    ).fetchone()
    return max(int(chunks), int(rows))


def write_pending(
    connection: sqlite3.Connection, job_id: str, upserts: list[dict[str, Any]], top: int
) -> int:
    """Write the pending activations `upserts` of a save; `top` is the highest seq
    stored for the job. Returns the new highest seq."""
    fresh = [t for t in upserts if t["seq"] > top]
    if len(fresh) < len(upserts):
        for task in upserts:
            if task["seq"] <= top:
                _rewrite_one(connection, job_id, task)
    if not fresh:
        return top
    fresh.sort(key=_SEQ)  # in C: a save after a busy activation sorts hundreds
    connection.executemany(
        "INSERT OR REPLACE INTO pending_chunks (job_id, lo, hi, body) VALUES (?, ?, ?, ?)",
        [
            (job_id, part[0]["seq"], part[-1]["seq"], encode_json(part))
            for part in (fresh[at : at + CHUNK] for at in range(0, len(fresh), CHUNK))
        ],
    )
    return int(fresh[-1]["seq"])


_SEQ = operator.itemgetter("seq")


def _rewrite_one(connection: sqlite3.Connection, job_id: str, task: dict[str, Any]) -> None:
    """Replace the stored pending activation `task` (same seq) where it is."""
    seq = task["seq"]
    for lo, body in connection.execute(
        "SELECT lo, body FROM pending_chunks WHERE job_id = ? AND lo <= ? AND hi >= ?",
        (job_id, seq, seq),
    ).fetchall():
        entries = json.loads(body)
        for at, entry in enumerate(entries):
            if entry["seq"] == seq:
                entries[at] = task
                connection.execute(
                    "UPDATE pending_chunks SET body = ? WHERE job_id = ? AND lo = ?",
                    (encode_json(entries), job_id, lo),
                )
                return
    connection.execute(
        "INSERT OR REPLACE INTO pending (job_id, seq, body) VALUES (?, ?, ?)",
        (job_id, seq, encode_json(task)),
    )


def drop_done(
    connection: sqlite3.Connection, job_id: str, ranges: Sequence[tuple[int, int]]
) -> None:
    """Delete the pending activations whose seqs `ranges` (sorted, disjoint) cover."""
    if not ranges:
        return
    connection.executemany(
        "DELETE FROM pending WHERE job_id = ? AND seq BETWEEN ? AND ?",
        [(job_id, first, last) for first, last in ranges],
    )
    # rows wholly inside a range go unread; the others that meet one are rewritten
    connection.executemany(
        "DELETE FROM pending_chunks WHERE job_id = ? AND lo >= ? AND hi <= ?",
        [(job_id, first, last) for first, last in ranges],
    )
    firsts = [first for first, _ in ranges]
    for lo, body in connection.execute(
        "SELECT lo, body FROM pending_chunks WHERE job_id = ? AND lo <= ? AND hi >= ?",
        (job_id, ranges[-1][1], ranges[0][0]),
    ).fetchall():
        entries = json.loads(body)
        kept = [t for t in entries if not covered(firsts, ranges, t["seq"])]
        if len(kept) == len(entries):
            continue
        connection.execute("DELETE FROM pending_chunks WHERE job_id = ? AND lo = ?", (job_id, lo))
        if kept:
            connection.execute(
                "INSERT INTO pending_chunks (job_id, lo, hi, body) VALUES (?, ?, ?, ?)",
                (job_id, kept[0]["seq"], kept[-1]["seq"], encode_json(kept)),
            )


def covered(firsts: list[int], ranges: Sequence[tuple[int, int]], seq: int) -> bool:
    """Whether `seq` is in one of `ranges` (sorted, disjoint; `firsts` their starts)."""
    at = bisect.bisect_right(firsts, seq) - 1
    return at >= 0 and seq <= ranges[at][1]


def revives(done: DoneList, upserts: list[dict[str, Any]]) -> bool:
    """Whether one of `upserts` is an activation the done list `done` lists (the engine
    never writes a completed activation again, but if it did, the list would hide it)."""
    ranges = done.ranges
    last = ranges[-1][1]
    firsts = [first for first, _ in ranges]
    return any(t["seq"] <= last and covered(firsts, ranges, t["seq"]) for t in upserts)


def read_pending(
    connection: sqlite3.Connection, job_id: str, done: Iterable[tuple[int, int]]
) -> list[Any]:
    """The job's pending activations but those the done list `done` covers."""
    ranges = merged_ranges(list(done))
    firsts = [first for first, _ in ranges]
    tasks: dict[Any, Any] = {}
    for seq, body in connection.execute(
        "SELECT seq, body FROM pending WHERE job_id = ? ORDER BY seq", (job_id,)
    ):
        if not covered(firsts, ranges, seq):
            tasks[seq] = json.loads(body)
    for (body,) in connection.execute(
        "SELECT body FROM pending_chunks WHERE job_id = ? ORDER BY lo", (job_id,)
    ):
        entries = json.loads(body)
        if type(entries) is not list:
            raise TypeError(f"a row of pending activations holds {type(entries).__name__}")
        for task in entries:
            seq = task["seq"]
            if not covered(firsts, ranges, seq):
                tasks[seq] = task
    return list(tasks.values())
