"""``sqlite:///PATH``: the embedded default store (WAL mode).

The URL follows SQLAlchemy: ``sqlite:///jobs.db`` is relative to the working
directory, ``sqlite:////var/lib/app/jobs.db`` absolute. The default store of the
``routilux`` command is ``sqlite:///.routilux/jobs.db``.

A job is one row of ``jobs`` (its small mutable document, plus indexed
``status`` and ``flow_id``), its history, shared log and output log are rows
appended to their own tables, and its pending activations are rows keyed by
their seq. A save writes only what changed since this store's last save of the
job (`routilux.checkpoint.checkpoint_delta`), all in one transaction: a
checkpoint after every activation costs O(what changed), and a process killed
at any instant leaves the last committed checkpoint. WAL with
``synchronous=NORMAL`` survives process crashes; a power cut may lose the last
transactions (use ``?synchronous=FULL`` in the URL to fsync every commit).

Crash recovery is at-least-once: a job resumed from its last checkpoint runs
again the activations that were pending at that checkpoint, and nothing that
completed before it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import datetime
from typing import Any

import routilux
from routilux import JobNotFoundError, JobState, JobSummary, SerializationError, StoreError
from routilux.checkpoint import CheckpointTracker, assemble_job_state
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, updated_at);
CREATE INDEX IF NOT EXISTS jobs_flow ON jobs (flow_id, updated_at);
CREATE INDEX IF NOT EXISTS jobs_updated ON jobs (updated_at);
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
CREATE TABLE IF NOT EXISTS checkpoints (
    job_id TEXT NOT NULL, seq INTEGER NOT NULL, info TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (job_id, seq));
"""
_PARTS = ("history", "shared_log", "output_log")


class SQLiteJobStore:
    """Jobs in one SQLite database, a connection per thread."""

    incremental = True

    def __init__(self, url: str) -> None:
        self.url = url
        rest = url.partition("://")[2]
        path, _, query = rest.partition("?")
        if not path.startswith("/") or len(path) < 2:
            raise StoreError(
                f"store URL {url!r} names no database file; use sqlite:///relative/path.db "
                "or sqlite:////absolute/path.db"
            )
        self.path = os.path.abspath(path[1:])
        self.synchronous = "FULL" if "synchronous=FULL" in query else "NORMAL"
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._tracker = CheckpointTracker()
        #: What the saves wrote (see CheckpointTracker).
        self.stats = self._tracker.stats
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self._connection().executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open {url}: {exc}") from None

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=60.0, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA synchronous={self.synchronous}")
            connection.execute("PRAGMA busy_timeout=60000")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    # ------------------------------------------------------------------ save

    def save(self, job_state: JobState) -> None:
        job_id = job_state.job_id
        delta, new_mark = self._tracker.delta(job_state)
        connection = self._connection()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if delta.full:
                    for table in (*_PARTS, "pending"):
                        connection.execute(f"DELETE FROM {table} WHERE job_id = ?", (job_id,))
                connection.execute(
                    "INSERT INTO jobs (job_id, flow_id, status, created_at, updated_at, document)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET"
                    " flow_id = excluded.flow_id, status = excluded.status,"
                    " updated_at = excluded.updated_at, document = excluded.document",
                    (
                        job_id,
                        delta.flow_id,
                        delta.status,
                        delta.created_at,
                        delta.updated_at,
                        json.dumps(delta.document),
                    ),
                )
                for table, rows, start in (
                    ("history", delta.history, delta.history_start),
                    ("shared_log", delta.shared_log, delta.shared_log_start),
                    ("output_log", delta.output_log, delta.output_log_start),
                ):
                    if rows:
                        connection.executemany(
                            f"INSERT OR REPLACE INTO {table} (job_id, idx, body) VALUES (?, ?, ?)",
                            [(job_id, start + i, json.dumps(row)) for i, row in enumerate(rows)],
                        )
                if delta.pending_upserts:
                    connection.executemany(
                        "INSERT OR REPLACE INTO pending (job_id, seq, body) VALUES (?, ?, ?)",
                        [(job_id, t["seq"], json.dumps(t)) for t in delta.pending_upserts],
                    )
                if delta.pending_deletes:
                    connection.executemany(
                        "DELETE FROM pending WHERE job_id = ? AND seq = ?",
                        [(job_id, seq) for seq in delta.pending_deletes],
                    )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"cannot save job {job_id} to {self.url}: {exc}") from None
        self._tracker.saved(delta, new_mark)

    # ------------------------------------------------------------------ read

    def load(self, job_id: str) -> JobState:
        connection = self._connection()
        try:
            connection.execute("BEGIN")  # one snapshot for all the parts
            try:
                row = connection.execute(
                    "SELECT document FROM jobs WHERE job_id = ?", (job_id,)
                ).fetchone()
                if row is None:
                    raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
                parts = {
                    table: [
                        body
                        for (body,) in connection.execute(
                            f"SELECT body FROM {table} WHERE job_id = ? ORDER BY idx", (job_id,)
                        )
                    ]
                    for table in _PARTS
                }
                pending = [
                    body
                    for (body,) in connection.execute(
                        "SELECT body FROM pending WHERE job_id = ? ORDER BY seq", (job_id,)
                    )
                ]
            finally:
                connection.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot load job {job_id} from {self.url}: {exc}") from None
        try:
            return assemble_job_state(
                json.loads(row[0]),
                [json.loads(b) for b in parts["history"]],
                [json.loads(b) for b in parts["shared_log"]],
                [json.loads(b) for b in parts["output_log"]],
                [json.loads(b) for b in pending],
            )
        except (ValueError, TypeError) as exc:
            raise SerializationError(f"job {job_id!r} in {self.url} is corrupt: {exc}") from None

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        query = "SELECT job_id, flow_id, status, created_at, updated_at FROM jobs"
        conditions, params = [], []
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
            params.append(int(limit))
        try:
            rows = self._connection().execute(query, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot list jobs in {self.url}: {exc}") from None
        summaries = []
        for job_id, flow, state, created, updated in rows:
            try:
                summaries.append(
                    JobSummary(
                        job_id,
                        flow,
                        state,
                        datetime.fromisoformat(created),
                        datetime.fromisoformat(updated),
                    )
                )
            except (TypeError, ValueError):
                continue  # a row written by something else; load() would report it
        return summaries

    def delete(self, job_id: str) -> None:
        connection = self._connection()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                deleted = connection.execute(
                    "DELETE FROM jobs WHERE job_id = ?", (job_id,)
                ).rowcount
                for table in (*_PARTS, "pending", "checkpoints"):
                    connection.execute(f"DELETE FROM {table} WHERE job_id = ?", (job_id,))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"cannot delete job {job_id} from {self.url}: {exc}") from None
        self._tracker.forget(job_id)
        if not deleted:
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}")

    # ------------------------------------------------------ checkpoint history

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        job_id = job_state.job_id
        connection = self._connection()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                (last,) = connection.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM checkpoints WHERE job_id = ?", (job_id,)
                ).fetchone()
                seq = int(last) + 1
                info, data = snapshot_of(job_state, seq)
                connection.execute(
                    "INSERT INTO checkpoints (job_id, seq, info, body) VALUES (?, ?, ?, ?)",
                    (job_id, seq, json.dumps(info.to_dict()), json.dumps(data)),
                )
                connection.execute(
                    "DELETE FROM checkpoints WHERE job_id = ? AND seq <= ?", (job_id, seq - keep)
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot keep a checkpoint of job {job_id} in {self.url}: {exc}"
            ) from None
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        connection = self._connection()
        try:
            rows = connection.execute(
                "SELECT info FROM checkpoints WHERE job_id = ? ORDER BY seq", (job_id,)
            ).fetchall()
            if (
                not rows
                and not connection.execute(
                    "SELECT 1 FROM jobs WHERE job_id = ?", (job_id,)
                ).fetchone()
            ):
                raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot read the history of job {job_id} in {self.url}: {exc}"
            ) from None
        return [CheckpointInfo.from_dict(json.loads(info)) for (info,) in rows]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        try:
            row = (
                self._connection()
                .execute(
                    "SELECT body FROM checkpoints WHERE job_id = ? AND seq = ?", (job_id, int(seq))
                )
                .fetchone()
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot load checkpoint {seq} of job {job_id}: {exc}") from None
        if row is None:
            raise missing_checkpoint(self, job_id, seq, [c.seq for c in self.history(job_id)])
        return JobState.from_dict(json.loads(row[0]))

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        self._tracker.forget()
        for connection in connections:
            try:
                connection.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    def __enter__(self) -> SQLiteJobStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"sqlite": SQLiteJobStore}
