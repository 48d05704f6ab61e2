"""``sqlite:///PATH``: the embedded default store (WAL mode).

The URL follows SQLAlchemy: ``sqlite:///jobs.db`` is relative to the working
directory, ``sqlite:////var/lib/app/jobs.db`` absolute. The default store of the
``routilux`` command is ``sqlite:///.routilux/jobs.db``.

A job is one row of ``jobs`` (its small mutable document, plus indexed
``status`` and ``flow_id``), its history, shared log and output log are rows
appended to their own tables, and its pending activations are rows of
``pending_chunks``: each save writes its new entries in a few rows of many
(`sqlite_chunks`). A save writes only what changed since this store's last save of the
job (`routilux.checkpoint.checkpoint_delta`), all in one transaction: a
checkpoint after every activation costs O(what changed), and a process killed
at any instant leaves the last committed checkpoint. The usual save after an
activation is a single UPDATE of the job's row (see `_UPDATE_USUAL`); the pending
rows of completed activations are listed in that row (``jobs.done``, ranges of
seqs that loads skip; `done_list`) and deleted together later, by range. WAL with
``synchronous=NORMAL`` survives process crashes without an fsync per commit; a power cut may lose the
last transactions, never corrupt the database (use ``?synchronous=FULL`` in the
URL to fsync every commit).
The database file is created readable by its owner only (0600), like the
file store's documents.

Ordered checkpoints and claims (see `routilux.store_base`): ``jobs.seq`` holds
the sequence of the stored checkpoint and ``claims`` who runs each job; every
save, claim and renewal is one ``BEGIN IMMEDIATE`` transaction, so they are
atomic between threads and processes.

Crash recovery is at-least-once: a job resumed from its last checkpoint runs
again the activations that were pending at that checkpoint, and nothing that
completed before it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

import routilux
from routilux import JobState, JobSummary, StoreError
from routilux.checkpoint import JobDelta, assemble_job_state
from routilux.store_base import JobStoreBase, utc

from .done_list import NOTHING_DONE, DoneList, done_ranges, merged_ranges
from .sqlite_chunks import (
    FIRSTS,
    SCHEMA,
    append_entries,
    drop_done,
    read_entries,
    read_pending,
    revives,
    top_seq,
    write_pending,
)
from .sqlite_kept import KeptCheckpoints
from .sqlite_rows import Transaction

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    document TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    done TEXT NOT NULL DEFAULT '',
    history_first INTEGER NOT NULL DEFAULT 0,
    shared_log_first INTEGER NOT NULL DEFAULT 0,
    output_log_first INTEGER NOT NULL DEFAULT 0
);
DROP INDEX IF EXISTS jobs_status;
DROP INDEX IF EXISTS jobs_flow;
DROP INDEX IF EXISTS jobs_updated;
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status);
CREATE INDEX IF NOT EXISTS jobs_by_flow ON jobs (flow_id);
CREATE TABLE IF NOT EXISTS history (
    job_id TEXT NOT NULL, idx INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (job_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shared_log (
    job_id TEXT NOT NULL, idx INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (job_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS output_log (
    job_id TEXT NOT NULL, idx INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (job_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (
    job_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    job_id TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS claims_owner ON claims (owner);
CREATE TABLE IF NOT EXISTS checkpoints (
    job_id TEXT NOT NULL, seq INTEGER NOT NULL, info TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (job_id, seq));
"""
    + SCHEMA
)
_PARTS = ("history", "shared_log", "output_log")
_FIRST_COLUMNS = tuple((column, "INTEGER", "0") for column in FIRSTS)
#: Bytes per database page of a new database. A checkpoint after every activation
#: changes a few pages (the job's row, new history and pending rows), and the WAL
#: writes each changed page whole: small pages keep that to a few KB.
PAGE_SIZE = 1024
#: WAL pages between copies of the WAL into the database (SQLite's default). A save
#: per activation writes the job's row's page into the WAL on every commit, and the
#: WAL's index finds a page's frames by a hash of its number: every frame of that one
#: page probes past all its earlier ones, so a commit costs more the longer the WAL
#: grows. At 4,000 pages that was about 15,000 instructions per commit (~2 µs); at
#: 1,000, a quarter of it, for a copy (two fsyncs, a few pages) every 1,000 commits.
WAL_PAGES = 1000
#: The database layout this code writes (``PRAGMA user_version``): 2 since the done list
#: holds ranges (``3-250``), 3 since rows hold runs of entries (`sqlite_chunks`), which
#: versions before it cannot read. A database of a higher version is refused with a
#: message instead of misread; one of a lower version is read as it is.
SCHEMA_VERSION = 3
_SYNCHRONOUS = ("NORMAL", "FULL", "EXTRA")
#: The usual save: the job's row, if its stored sequence is lower, its status and
#: flow are unchanged (their indexes are not rewritten), its done list is the one
#: this store wrote last, and no other owner's claim on it is live
#: (`JobStoreBase.may_write`). When no row is updated the save takes the long way
#: (`_write_job`), which finds out why.
_UPDATE_USUAL = (
    "UPDATE jobs SET updated_at = ?, document = ?, seq = ?, done = ?"
    " WHERE job_id = ? AND seq < ? AND status = ? AND flow_id = ? AND done = ? AND NOT EXISTS"
    " (SELECT 1 FROM claims WHERE claims.job_id = jobs.job_id AND claims.owner <> ?"
    " AND claims.expires_at > ?)"
)
#: The same, which also writes the first entry each part keeps (`sqlite_chunks`).
_UPDATE_FIRSTS = _UPDATE_USUAL.replace(
    "done = ?", "done = ?, history_first = ?, shared_log_first = ?, output_log_first = ?", 1
)


class Known(NamedTuple):
    """What a store last wrote of a job: the done list in its row, the first entry of
    each part it keeps (``history_first``...), and the highest seq of its stored pending
    activations (-1: not known; `sqlite_chunks.write_pending` needs it)."""

    done: DoneList
    firsts: tuple[int, int, int]
    top: int


_tuple = tuple.__new__


class SQLiteJobStore(KeptCheckpoints, JobStoreBase):
    """Jobs in one SQLite database, a connection per thread."""

    incremental = True
    url_params = ("synchronous",)
    backend_errors = (sqlite3.Error,)

    def __init__(self, url: str) -> None:
        self._local = threading.local()
        #: Per job: what this store last wrote in its row (`Known`).
        self._known: dict[str, Known] = {}
        self._known_lock = threading.Lock()
        super().__init__(url)

    def _open(self) -> None:
        path = self.location
        if not path.startswith("/") or len(path) < 2:
            raise StoreError(
                f"store URL {self.url!r} names no database file; use sqlite:///relative/path.db "
                "or sqlite:////absolute/path.db"
            )
        self.path = os.path.abspath(path[1:])
        synchronous = self.params.get("synchronous", "NORMAL").upper()
        if synchronous not in _SYNCHRONOUS:
            raise StoreError(
                f"store URL {self.url!r}: synchronous must be one of {list(_SYNCHRONOUS)}, "
                f"not {self.params['synchronous']!r}"
            )
        self.synchronous = synchronous
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        try:  # private, like the file store's documents; SQLite's WAL files follow it
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass
        connection = self._connection()
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {self.safe_url}: the database was written by a newer routilux (its "
                f"schema version is {version}, this one reads up to {SCHEMA_VERSION}); "
                "upgrade routilux to open it"
            )
        connection.executescript(_SCHEMA)
        # columns added since the first layout: seq (checkpoints have sequences), done
        # (pending deletes deferred), the firsts (rows hold runs of entries, schema 3)
        added = (("seq", "INTEGER", "0"), ("done", "TEXT", "''"), *_FIRST_COLUMNS)
        if version < SCHEMA_VERSION or self._missing(connection, added):
            with self._transaction() as connection:  # another process may open it too
                for column, kind, default in self._missing(connection, added):
                    connection.execute(
                        f"ALTER TABLE jobs ADD COLUMN {column} {kind} NOT NULL DEFAULT {default}"
                    )
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def _missing(
        connection: sqlite3.Connection, columns: tuple[tuple[str, str, str], ...]
    ) -> list[tuple[str, str, str]]:
        """Those of `columns` (name, type, default) the jobs table lacks."""
        have = {row[1] for row in connection.execute("PRAGMA table_info(jobs)")}
        return [column for column in columns if column[0] not in have]

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=60.0, isolation_level=None, check_same_thread=False
            )
            # Small pages: WAL writes every page a save changes, whole (a new file only).
            connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
            connection.execute("PRAGMA journal_mode=WAL")
            # Copy the WAL into the database every `WAL_PAGES` pages (see there).
            connection.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
            connection.execute(f"PRAGMA journal_size_limit={WAL_PAGES * PAGE_SIZE}")
            connection.execute(f"PRAGMA synchronous={self.synchronous}")
            connection.execute("PRAGMA busy_timeout=60000")
            self._local.connection = connection
        return connection

    def _cursor(self) -> sqlite3.Cursor:
        """A cursor of this thread's connection, kept for its next statements."""
        cursor = self._local.cursor = self._connection().cursor()
        return cursor

    def _transaction(self, immediate: bool = True) -> Any:
        """A context manager: one transaction on this thread's connection."""
        return Transaction(self._connection(), immediate)

    # ------------------------------------------------------------------ save

    def _save_delta(self, delta: JobDelta, now: float) -> bool:
        job_id = delta.job_id
        with self._known_lock:
            known = self._known.get(job_id)
        firsts = (delta.history_first, delta.shared_log_first, delta.output_log_first)
        done: DoneList | None = None
        if known is not None and not delta.full:
            # unpacked: a named tuple's names are lookups (this runs on every save)
            known_done, known_firsts, known_top = known
            done = known_done.adding(delta.pending_deletes)
            # The usual save after an activation: one statement, so no transaction
            # around it; it updates the job's row only if no other owner's claim is
            # live, the stored sequence is lower and the row is as this store left it.
            if (
                done is not None
                and firsts == known_firsts
                and not (
                    delta.history or delta.shared_log or delta.output_log or delta.pending_upserts
                )
            ):
                # this thread's cursor, kept: a new one per save costs more than its UPDATE
                cursor = getattr(self._local, "cursor", None) or self._cursor()
                seq = delta.seq  # the parameters as `_usual` makes them, inline: every save
                params = (
                    delta.updated_at,
                    delta.document_json,
                    seq,
                    done.text,
                    job_id,
                    seq,
                    delta.status,
                    delta.flow_id,
                    known_done.text,
                    self.owner,
                    now,
                )
                if cursor.execute(_UPDATE_USUAL, params).rowcount:
                    with self._known_lock:
                        self._known[job_id] = _tuple(Known, (done, known_firsts, known_top))
                    return True
        if done is not None and done.ranges and revives(done, delta.pending_upserts):
            done = None  # an activation listed done is pending again: empty the list first
        with self._transaction() as connection:
            # the same UPDATE with the parts' firsts (the done list kept if it has room,
            # else emptied: its rows go now); else the long way
            if known is not None and not delta.full:
                updated = connection.execute(
                    _UPDATE_FIRSTS,
                    self._usual(
                        delta, "" if done is None else done.text, known.done.text, now, firsts
                    ),
                ).rowcount
            else:
                updated = 0
            if updated:
                assert known is not None
                top = known.top
                gone = known.done.ranges if done is None else ()
            else:
                stored_done = self._write_job(connection, delta, now, firsts)
                if stored_done is None:
                    return False
                done, top, gone = None, -1, tuple(done_ranges(stored_done))
            if done is None and (gone or delta.pending_deletes):
                drop_done(
                    connection,
                    job_id,
                    merged_ranges([*gone, *((s, s) for s in delta.pending_deletes)]),
                )
            for table, entries, start, first in (
                ("history", delta.history, delta.history_start, delta.history_first),
                ("shared_log", delta.shared_log, delta.shared_log_start, delta.shared_log_first),
                ("output_log", delta.output_log, delta.output_log_start, delta.output_log_first),
            ):
                if entries or first:
                    append_entries(connection, table, job_id, entries, start, first)
            if delta.pending_upserts:  # after the deletes: a row written again is pending
                if top < 0:
                    top = 0 if delta.full else top_seq(connection, job_id)
                top = write_pending(connection, job_id, delta.pending_upserts, top)
        with self._known_lock:
            self._known[job_id] = Known(NOTHING_DONE if done is None else done, firsts, top)
        return True

    def _usual(
        self, delta: JobDelta, done: str, known: str, now: float, firsts: tuple[int, ...] = ()
    ) -> tuple[Any, ...]:
        """The parameters of `_UPDATE_USUAL` (with `firsts`, of `_UPDATE_FIRSTS`): write
        `delta` and the done list `done` into the job's row if it holds the done list
        `known` (and the other conditions)."""
        seq = delta.seq
        return (
            *(delta.updated_at, delta.document_json, seq, done, *firsts, delta.job_id, seq),
            *(delta.status, delta.flow_id, known, self.owner, now),
        )

    def _write_job(
        self, connection: sqlite3.Connection, delta: JobDelta, now: float, firsts: tuple[int, ...]
    ) -> str | None:
        """Write the job's row in the open transaction after checking the claim and the
        sequence (None: the store holds a newer checkpoint); a full delta first clears
        what the store holds of the job. Returns the done list the row held (see
        `done_list`), and leaves it empty: the caller deletes those rows."""
        job_id = delta.job_id
        claim = connection.execute(
            "SELECT owner, expires_at FROM claims WHERE job_id = ?", (job_id,)
        ).fetchone()
        if claim is not None and not self.may_write(claim[0], claim[1], now):
            raise self.claimed_error(job_id, claim[0], claim[1], now)
        stored = connection.execute(
            "SELECT seq, done FROM jobs WHERE job_id = ?", (job_id,)
        ).fetchone()
        if stored is not None and stored[0] >= delta.seq:
            return None
        if delta.full and stored is not None:  # a new job has no rows to clear
            for table in (*_PARTS, "pending", "pending_chunks"):
                connection.execute(f"DELETE FROM {table} WHERE job_id = ?", (job_id,))
        connection.execute(
            "INSERT INTO jobs (job_id, flow_id, status, created_at, updated_at, document, seq,"
            " done, history_first, shared_log_first, output_log_first)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET"
            " flow_id = excluded.flow_id, status = excluded.status,"
            " updated_at = excluded.updated_at, document = excluded.document,"
            " seq = excluded.seq, done = '', history_first = excluded.history_first,"
            " shared_log_first = excluded.shared_log_first,"
            " output_log_first = excluded.output_log_first",
            (
                *(job_id, delta.flow_id, delta.status, delta.created_at, delta.updated_at),
                *(delta.document_json, delta.seq, *firsts),
            ),
        )
        return "" if stored is None or delta.full else str(stored[1])

    # ------------------------------------------------------------------ read

    def _load(self, job_id: str) -> JobState:
        with self._transaction(immediate=False) as connection:  # one snapshot for all parts
            row = connection.execute(
                "SELECT document, done, history_first, shared_log_first, output_log_first"
                " FROM jobs WHERE job_id = ?",
                (job_id,),
            ).fetchone()
            if row is None:
                raise self.not_found(job_id)
            parts = [
                read_entries(connection, table, job_id, int(first))
                for table, first in zip(_PARTS, row[2:])
            ]
            pending = read_pending(connection, job_id, done_ranges(row[1]))
        history, shared_log, output_log = parts
        return assemble_job_state(json.loads(row[0]), history, shared_log, output_log, pending)

    def _list(self, flow_id: str | None, status: str | None, limit: int | None) -> list[JobSummary]:
        query = (
            "SELECT jobs.job_id, flow_id, status, created_at, updated_at, owner, expires_at"
            " FROM jobs LEFT JOIN claims ON claims.job_id = jobs.job_id"
        )
        conditions: list[str] = []
        params: list[str | int] = []
        if flow_id is not None:
            conditions.append("flow_id = ?")
            params.append(flow_id)
        if status is not None:
            conditions.append("status = ?")
            params.append(status)
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY updated_at DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        rows = self._connection().execute(query, params).fetchall()
        summaries = []
        for job_id, flow, state, created, updated, owner, expires in rows:
            try:
                summaries.append(
                    JobSummary(
                        job_id,
                        flow,
                        state,
                        datetime.fromisoformat(created),
                        datetime.fromisoformat(updated),
                        owner=owner,
                        lease_until=None if expires is None else utc(expires),
                    )
                )
            except (TypeError, ValueError) as exc:  # a row written by something else
                summaries.append(
                    JobSummary(
                        job_id,
                        str(flow),
                        "unreadable",
                        utc(0),
                        utc(0),
                        problem=f"bad timestamps: {exc}",
                    )
                )
        return summaries

    def _delete(self, job_id: str) -> bool:
        with self._known_lock:
            self._known.pop(job_id, None)
        with self._transaction() as connection:
            deleted = connection.execute("DELETE FROM jobs WHERE job_id = ?", (job_id,)).rowcount
            for table in (*_PARTS, "pending", "pending_chunks", "claims", "checkpoints"):
                connection.execute(f"DELETE FROM {table} WHERE job_id = ?", (job_id,))
        return bool(deleted)

    # ---------------------------------------------------------------- claims

    def _claim(self, job_id: str, owner: str, now: float, until: float) -> tuple[str, float]:
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO claims (job_id, owner, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (job_id) DO UPDATE SET owner = excluded.owner,"
                " expires_at = excluded.expires_at"
                " WHERE claims.owner = excluded.owner OR claims.expires_at <= ?",
                (job_id, owner, until, now),
            )
            row = connection.execute(
                "SELECT owner, expires_at FROM claims WHERE job_id = ?", (job_id,)
            ).fetchone()
        return row[0], row[1]

    def _renew(self, job_ids: Iterable[str], owner: str, now: float, until: float) -> list[str]:
        with self._transaction() as connection:
            rows = connection.execute(
                "UPDATE claims SET expires_at = ? WHERE owner = ? RETURNING job_id", (until, owner)
            ).fetchall()
        return [job_id for (job_id,) in rows]

    def _release(self, job_id: str, owner: str) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM claims WHERE job_id = ? AND owner = ?", (job_id, owner))

    def _close(self) -> None:
        """Close this thread's connection; drop the others.

        Another thread may be in the middle of a save on its own connection, and
        closing a connection under a running statement can crash the process. So
        they are only forgotten here: each is closed when its last user lets go of
        it (its thread ends, or the statement it runs returns).
        """
        with self._known_lock:
            self._known.clear()
        mine: sqlite3.Connection | None = getattr(self._local, "connection", None)
        self._local = threading.local()
        if mine is not None:
            try:
                mine.close()
            except sqlite3.Error:
                pass


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"sqlite": SQLiteJobStore}
