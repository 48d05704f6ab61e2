"""The SQLite store's kept checkpoints (``keep_checkpoints``): whole snapshots of a job,
numbered, in the ``checkpoints`` table, beside the job's current state that saves write.
A base class of `SQLiteJobStore` (its own module: the store's saves and loads of the
current state are enough for one module)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from routilux import JobState
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of

if TYPE_CHECKING:
    from routilux import JobStore


class KeptCheckpoints:
    """`save_checkpoint`, `history` and `load_checkpoint` of `SQLiteJobStore` (which
    gives `_mapped`, `_transaction`, `_connection` and `not_found`)."""

    _mapped: Any
    _transaction: Any
    _connection: Any
    not_found: Any

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        job_id = job_state.job_id
        with self._mapped(f"keep a checkpoint of job {job_id}"), self._transaction() as connection:
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
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        with self._mapped(f"read the history of job {job_id}"):
            connection = self._connection()
            rows = connection.execute(
                "SELECT info FROM checkpoints WHERE job_id = ? ORDER BY seq", (job_id,)
            ).fetchall()
            if (
                not rows
                and not connection.execute(
                    "SELECT 1 FROM jobs WHERE job_id = ?", (job_id,)
                ).fetchone()
            ):
                raise self.not_found(job_id)
            return [CheckpointInfo.from_dict(json.loads(info)) for (info,) in rows]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        with self._mapped(f"load checkpoint {seq} of job {job_id}"):
            row = (
                self._connection()
                .execute(
                    "SELECT body FROM checkpoints WHERE job_id = ? AND seq = ?", (job_id, int(seq))
                )
                .fetchone()
            )
            if row is None:
                raise missing_checkpoint(
                    cast("JobStore", self), job_id, seq, [c.seq for c in self.history(job_id)]
                )
            return JobState.from_dict(json.loads(row[0]))
