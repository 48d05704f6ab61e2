"""``postgresql://``: routilux jobs in PostgreSQL (psycopg 3).

Saves are O(what changed): `routilux.checkpoint.checkpoint_delta` gives the
new history/log rows and the pending activations added or removed since this
store's last save of the job; they are written with the job's document in one
transaction, so a process killed at any instant leaves the last committed
checkpoint. Crash recovery is at-least-once (see routilux's store guide).
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

import routilux
from routilux import JobNotFoundError, JobState, JobSummary, SerializationError, StoreError
from routilux.checkpoint import CheckpointTracker, assemble_job_state
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of

__version__ = "0.1.0"

SCHEMA = """
CREATE TABLE IF NOT EXISTS routilux_jobs (
    job_id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    document JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS routilux_jobs_status ON routilux_jobs (status, updated_at DESC);
CREATE INDEX IF NOT EXISTS routilux_jobs_flow ON routilux_jobs (flow_id, updated_at DESC);
CREATE INDEX IF NOT EXISTS routilux_jobs_updated ON routilux_jobs (updated_at DESC);
CREATE TABLE IF NOT EXISTS routilux_parts (
    job_id TEXT NOT NULL,
    part TEXT NOT NULL,
    idx BIGINT NOT NULL,
    body JSONB NOT NULL,
    PRIMARY KEY (job_id, part, idx)
);
CREATE TABLE IF NOT EXISTS routilux_checkpoints (
    job_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    info JSONB NOT NULL,
    body JSONB NOT NULL,
    PRIMARY KEY (job_id, seq)
);
"""
PARTS = ("history", "shared_log", "output_log")


class PostgresJobStore:
    """Jobs in PostgreSQL, a connection per thread."""

    incremental = True

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[psycopg.Connection[Any]] = []
        self._tracker = CheckpointTracker()
        #: What the saves wrote (see CheckpointTracker).
        self.stats = self._tracker.stats
        try:
            with self._connection().transaction():
                self._connection().execute("SELECT pg_advisory_xact_lock(20260411)")
                self._connection().execute(SCHEMA)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open {_safe(url)}: {exc}") from None

    def _connection(self) -> psycopg.Connection[Any]:
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed:
            try:
                connection = psycopg.connect(self.url, autocommit=True)
            except psycopg.Error as exc:
                raise StoreError(f"cannot connect to {_safe(self.url)}: {exc}") from None
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def save(self, job_state: JobState) -> None:
        job_id = job_state.job_id
        delta, new_mark = self._tracker.delta(job_state)
        connection = self._connection()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                if delta.full:
                    cursor.execute("DELETE FROM routilux_parts WHERE job_id = %s", (job_id,))
                cursor.execute(
                    "INSERT INTO routilux_jobs (job_id, flow_id, status, created_at, updated_at,"
                    " document) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (job_id) DO UPDATE SET"
                    " flow_id = EXCLUDED.flow_id, status = EXCLUDED.status,"
                    " updated_at = EXCLUDED.updated_at, document = EXCLUDED.document",
                    (
                        job_id,
                        delta.flow_id,
                        delta.status,
                        delta.created_at,
                        delta.updated_at,
                        Jsonb(delta.document),
                    ),
                )
                rows = [
                    (job_id, part, start + i, Jsonb(row))
                    for part, items, start in (
                        ("history", delta.history, delta.history_start),
                        ("shared_log", delta.shared_log, delta.shared_log_start),
                        ("output_log", delta.output_log, delta.output_log_start),
                    )
                    for i, row in enumerate(items)
                ]
                rows += [(job_id, "pending", t["seq"], Jsonb(t)) for t in delta.pending_upserts]
                if rows:
                    cursor.executemany(
                        "INSERT INTO routilux_parts (job_id, part, idx, body) VALUES (%s, %s, %s, %s)"
                        " ON CONFLICT (job_id, part, idx) DO UPDATE SET body = EXCLUDED.body",
                        rows,
                    )
                if delta.pending_deletes:
                    cursor.execute(
                        "DELETE FROM routilux_parts WHERE job_id = %s AND part = 'pending'"
                        " AND idx = ANY(%s)",
                        (job_id, delta.pending_deletes),
                    )
        except psycopg.Error as exc:
            raise StoreError(f"cannot save job {job_id} to {_safe(self.url)}: {exc}") from None
        self._tracker.saved(delta, new_mark)

    def load(self, job_id: str) -> JobState:
        connection = self._connection()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT document FROM routilux_jobs WHERE job_id = %s", (job_id,))
                row = cursor.fetchone()
                if row is None:
                    raise JobNotFoundError(f"no job {job_id!r} in {_safe(self.url)}")
                cursor.execute(
                    "SELECT part, body FROM routilux_parts WHERE job_id = %s ORDER BY part, idx",
                    (job_id,),
                )
                parts: dict[str, list[Any]] = {
                    "history": [],
                    "shared_log": [],
                    "output_log": [],
                    "pending": [],
                }
                for part, body in cursor.fetchall():
                    parts.setdefault(part, []).append(body)
        except psycopg.Error as exc:
            raise StoreError(f"cannot load job {job_id} from {_safe(self.url)}: {exc}") from None
        try:
            return assemble_job_state(
                row[0], parts["history"], parts["shared_log"], parts["output_log"], parts["pending"]
            )
        except (TypeError, ValueError) as exc:
            raise SerializationError(
                f"job {job_id!r} in {_safe(self.url)} is corrupt: {exc}"
            ) from None

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        query = "SELECT job_id, flow_id, status, created_at, updated_at FROM routilux_jobs"
        conditions, params = [], []
        if flow_id is not None:
            conditions.append("flow_id = %s")
            params.append(flow_id)
        if status is not None:
            conditions.append("status = %s")
            params.append(status)
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY updated_at DESC"
        if limit is not None:
            query += " LIMIT %s"
            params.append(int(limit))
        try:
            rows = self._connection().execute(query, params).fetchall()
        except psycopg.Error as exc:
            raise StoreError(f"cannot list jobs in {_safe(self.url)}: {exc}") from None
        return [JobSummary(*row) for row in rows]

    def delete(self, job_id: str) -> None:
        connection = self._connection()
        try:
            with connection.transaction():
                deleted = connection.execute(
                    "DELETE FROM routilux_jobs WHERE job_id = %s", (job_id,)
                ).rowcount
                connection.execute("DELETE FROM routilux_parts WHERE job_id = %s", (job_id,))
                connection.execute("DELETE FROM routilux_checkpoints WHERE job_id = %s", (job_id,))
        except psycopg.Error as exc:
            raise StoreError(f"cannot delete job {job_id} from {_safe(self.url)}: {exc}") from None
        self._tracker.forget(job_id)
        if not deleted:
            raise JobNotFoundError(f"no job {job_id!r} in {_safe(self.url)}")

    # ------------------------------------------------------ checkpoint history

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        job_id = job_state.job_id
        connection = self._connection()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COALESCE(MAX(seq), 0) FROM routilux_checkpoints WHERE job_id = %s",
                    (job_id,),
                )
                seq = int(cursor.fetchone()[0]) + 1  # type: ignore[index]
                info, data = snapshot_of(job_state, seq)
                cursor.execute(
                    "INSERT INTO routilux_checkpoints (job_id, seq, info, body)"
                    " VALUES (%s, %s, %s, %s)",
                    (job_id, seq, Jsonb(info.to_dict()), Jsonb(data)),
                )
                cursor.execute(
                    "DELETE FROM routilux_checkpoints WHERE job_id = %s AND seq <= %s",
                    (job_id, seq - keep),
                )
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot keep a checkpoint of job {job_id} in {_safe(self.url)}: {exc}"
            ) from None
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        connection = self._connection()
        try:
            rows = connection.execute(
                "SELECT info FROM routilux_checkpoints WHERE job_id = %s ORDER BY seq", (job_id,)
            ).fetchall()
            if (
                not rows
                and not connection.execute(
                    "SELECT 1 FROM routilux_jobs WHERE job_id = %s", (job_id,)
                ).fetchone()
            ):
                raise JobNotFoundError(f"no job {job_id!r} in {_safe(self.url)}")
        except psycopg.Error as exc:
            raise StoreError(f"cannot read the history of job {job_id}: {exc}") from None
        return [CheckpointInfo.from_dict(info) for (info,) in rows]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        try:
            row = (
                self._connection()
                .execute(
                    "SELECT body FROM routilux_checkpoints WHERE job_id = %s AND seq = %s",
                    (job_id, int(seq)),
                )
                .fetchone()
            )
        except psycopg.Error as exc:
            raise StoreError(f"cannot load checkpoint {seq} of job {job_id}: {exc}") from None
        if row is None:
            raise missing_checkpoint(self, job_id, seq, [c.seq for c in self.history(job_id)])
        return JobState.from_dict(row[0])

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        self._tracker.forget()
        for connection in connections:
            connection.close()
        self._local = threading.local()

    def __enter__(self) -> PostgresJobStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"postgresql": PostgresJobStore, "postgres": PostgresJobStore}
