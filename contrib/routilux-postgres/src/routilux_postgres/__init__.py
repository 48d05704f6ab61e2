"""``postgresql://``: routilux jobs in PostgreSQL (psycopg 3).

Saves are O(what changed): `routilux.checkpoint.checkpoint_delta` gives the
new history/log rows and the pending activations added or removed since this
store's last save of the job; they are written with the job's document in one
transaction, so a process killed at any instant leaves the last committed
checkpoint. Crash recovery is at-least-once (see routilux's store guide).

Ordered checkpoints and claims (see `routilux.store_base`): ``routilux_jobs.seq``
holds the stored checkpoint's sequence and ``routilux_claims`` who runs each
job; a save or claim of a job first takes a transaction-level advisory lock on
the job id, so they are atomic between connections. URL query parameters are
libpq's connection parameters, plus ``lease``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

import routilux
from routilux import JobState, JobSummary
from routilux.checkpoint import JobDelta, assemble_job_state
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of
from routilux.store_base import JobStoreBase, utc

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
ALTER TABLE routilux_jobs ADD COLUMN IF NOT EXISTS seq BIGINT NOT NULL DEFAULT 0;
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
CREATE TABLE IF NOT EXISTS routilux_claims (
    job_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS routilux_claims_owner ON routilux_claims (owner);
CREATE TABLE IF NOT EXISTS routilux_checkpoints (
    job_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    info JSONB NOT NULL,
    body JSONB NOT NULL,
    PRIMARY KEY (job_id, seq)
);
"""
PARTS = ("history", "shared_log", "output_log")
_JOB_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 20260411))"


class PostgresJobStore(JobStoreBase):
    """Jobs in PostgreSQL, a connection per thread."""

    incremental = True
    backend_errors = (psycopg.Error,)

    @classmethod
    def accepted_params(cls) -> tuple[str, ...]:
        return tuple(o.keyword.decode() for o in psycopg.pq.Conninfo.get_defaults())

    def __init__(self, url: str) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[psycopg.Connection[Any]] = []
        super().__init__(url)

    def _open(self) -> None:
        connection = self._connection()
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(20260411)")
            connection.execute(SCHEMA)

    def _connection(self) -> psycopg.Connection[Any]:
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed:
            connection = psycopg.connect(self.backend_url, autocommit=True)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def _save_delta(self, delta: JobDelta, now: float) -> bool:
        job_id = delta.job_id
        connection = self._connection()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute(_JOB_LOCK, (job_id,))
            cursor.execute(
                "SELECT owner, expires_at FROM routilux_claims WHERE job_id = %s", (job_id,)
            )
            claim = cursor.fetchone()
            if claim is not None and not self.may_write(claim[0], claim[1], now):
                raise self.claimed_error(job_id, claim[0], claim[1], now)
            cursor.execute("SELECT seq FROM routilux_jobs WHERE job_id = %s", (job_id,))
            stored = cursor.fetchone()
            if stored is not None and stored[0] >= delta.seq:
                return False
            if delta.full:
                cursor.execute("DELETE FROM routilux_parts WHERE job_id = %s", (job_id,))
            cursor.execute(
                "INSERT INTO routilux_jobs (job_id, flow_id, status, created_at, updated_at,"
                " document, seq) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (job_id)"
                " DO UPDATE SET flow_id = EXCLUDED.flow_id, status = EXCLUDED.status,"
                " updated_at = EXCLUDED.updated_at, document = EXCLUDED.document,"
                " seq = EXCLUDED.seq",
                (
                    job_id,
                    delta.flow_id,
                    delta.status,
                    delta.created_at,
                    delta.updated_at,
                    Jsonb(delta.document),
                    delta.seq,
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
            for part, first in (
                ("history", delta.history_first),
                ("shared_log", delta.shared_log_first),
                ("output_log", delta.output_log_first),
            ):
                if first:  # keep what the job keeps (its history bound)
                    cursor.execute(
                        "DELETE FROM routilux_parts WHERE job_id = %s AND part = %s AND idx < %s",
                        (job_id, part, first),
                    )
            if delta.pending_deletes:
                cursor.execute(
                    "DELETE FROM routilux_parts WHERE job_id = %s AND part = 'pending'"
                    " AND idx = ANY(%s)",
                    (job_id, delta.pending_deletes),
                )
        return True

    def _load(self, job_id: str) -> JobState:
        connection = self._connection()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT document FROM routilux_jobs WHERE job_id = %s", (job_id,))
            row = cursor.fetchone()
            if row is None:
                raise self.not_found(job_id)
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
        return assemble_job_state(
            row[0], parts["history"], parts["shared_log"], parts["output_log"], parts["pending"]
        )

    def _list(self, flow_id: str | None, status: str | None, limit: int | None) -> list[JobSummary]:
        query = (
            "SELECT j.job_id, flow_id, status, created_at, updated_at, owner, expires_at"
            " FROM routilux_jobs j LEFT JOIN routilux_claims c ON c.job_id = j.job_id"
        )
        conditions: list[str] = []
        params: list[str | int] = []
        if flow_id is not None:
            conditions.append("flow_id = %s")
            params.append(flow_id)
        if status is not None:
            conditions.append("status = %s")
            params.append(str(status))  # a JobStatus as its value
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY updated_at DESC"
        if limit is not None:
            query += " LIMIT %s"
            params.append(limit)
        rows = self._connection().execute(query, params).fetchall()
        return [
            JobSummary(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                owner=row[5],
                lease_until=None if row[6] is None else utc(row[6]),
            )
            for row in rows
        ]

    def _delete(self, job_id: str) -> bool:
        connection = self._connection()
        with connection.transaction():
            connection.execute(_JOB_LOCK, (job_id,))
            deleted = connection.execute(
                "DELETE FROM routilux_jobs WHERE job_id = %s", (job_id,)
            ).rowcount
            connection.execute("DELETE FROM routilux_parts WHERE job_id = %s", (job_id,))
            connection.execute("DELETE FROM routilux_claims WHERE job_id = %s", (job_id,))
            connection.execute("DELETE FROM routilux_checkpoints WHERE job_id = %s", (job_id,))
        return bool(deleted)

    def _claim(self, job_id: str, owner: str, now: float, until: float) -> tuple[str, float]:
        connection = self._connection()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute(_JOB_LOCK, (job_id,))
            cursor.execute(
                "INSERT INTO routilux_claims (job_id, owner, expires_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (job_id) DO UPDATE SET owner = EXCLUDED.owner,"
                " expires_at = EXCLUDED.expires_at"
                " WHERE routilux_claims.owner = EXCLUDED.owner"
                " OR routilux_claims.expires_at <= %s",
                (job_id, owner, until, now),
            )
            cursor.execute(
                "SELECT owner, expires_at FROM routilux_claims WHERE job_id = %s", (job_id,)
            )
            row = cursor.fetchone()
        assert row is not None
        return row[0], row[1]

    def _renew(self, job_ids: Iterable[str], owner: str, now: float, until: float) -> list[str]:
        rows = (
            self._connection()
            .execute(
                "UPDATE routilux_claims SET expires_at = %s WHERE owner = %s RETURNING job_id",
                (until, owner),
            )
            .fetchall()
        )
        return [job_id for (job_id,) in rows]

    def _release(self, job_id: str, owner: str) -> None:
        connection = self._connection()
        with connection.transaction():
            connection.execute(_JOB_LOCK, (job_id,))
            connection.execute(
                "DELETE FROM routilux_claims WHERE job_id = %s AND owner = %s", (job_id, owner)
            )

    # ------------------------------------------------------ checkpoint history

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        job_id = job_state.job_id
        with self._mapped(f"keep a checkpoint of job {job_id}"):
            connection = self._connection()
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute(_JOB_LOCK, (job_id,))
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
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        with self._mapped(f"read the history of job {job_id}"):
            connection = self._connection()
            rows = connection.execute(
                "SELECT info FROM routilux_checkpoints WHERE job_id = %s ORDER BY seq", (job_id,)
            ).fetchall()
            if (
                not rows
                and not connection.execute(
                    "SELECT 1 FROM routilux_jobs WHERE job_id = %s", (job_id,)
                ).fetchone()
            ):
                raise self.not_found(job_id)
            return [CheckpointInfo.from_dict(info) for (info,) in rows]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        with self._mapped(f"load checkpoint {seq} of job {job_id}"):
            row = (
                self._connection()
                .execute(
                    "SELECT body FROM routilux_checkpoints WHERE job_id = %s AND seq = %s",
                    (job_id, int(seq)),
                )
                .fetchone()
            )
            if row is None:
                raise missing_checkpoint(self, job_id, seq, [c.seq for c in self.history(job_id)])
            return JobState.from_dict(row[0])

    def _close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"postgresql": PostgresJobStore, "postgres": PostgresJobStore}
