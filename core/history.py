"""Checkpoint history and time travel: keep a job's last N checkpoints, fork from one.

With ``Flow(..., keep_checkpoints=N)`` (spec key ``keep_checkpoints``; 0, the
default, keeps none) every checkpoint of a job is also kept as a full snapshot,
numbered 1, 2, 3 ... per job, and the store drops all but the last N. A kept
checkpoint costs a full copy of the job (its serialized form) on top of the
ordinary O(what changed) save: keep a few, or use it with
``checkpoint="on_finish"``, for long jobs.

A store that keeps history implements three methods beside the `JobStore`
protocol (every built-in store and the contrib PostgreSQL and Redis stores do;
the conformance suite tests them)::

    save_checkpoint(job_state, keep) -> int      # the new checkpoint's seq
    history(job_id) -> list[CheckpointInfo]      # oldest first
    load_checkpoint(job_id, seq) -> JobState

and removes a job's checkpoints when the job is deleted. ``flow.fork(job,
at=SEQ)`` (``routilux fork JOB --at SEQ``) starts a new job from a kept
checkpoint: a new id, the checkpoint's state, and ``metadata["forked_from"]``
naming the parent job and checkpoint; it then runs what was pending there.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from .errors import JobNotFoundError, StoreError
from .job_state import JobState
from .serialization import unstructure_job_state
from .times import utcnow

if TYPE_CHECKING:
    from .flow import Flow
    from .store import JobStore


@attrs.frozen
class CheckpointInfo:
    """One kept checkpoint of a job (a line of ``routilux history``)."""

    job_id: str
    #: 1, 2, 3 ... in the order the job's checkpoints were saved.
    seq: int
    saved_at: datetime
    #: The routine whose activation the checkpoint follows (at the job's end: the
    #: routine last recorded in its history).
    routine_id: str | None
    status: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (``saved_at`` as ISO-8601)."""
        return {
            "job_id": self.job_id,
            "seq": self.seq,
            "saved_at": self.saved_at.isoformat(),
            "routine_id": self.routine_id,
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckpointInfo:
        return cls(
            str(data["job_id"]),
            int(data["seq"]),
            datetime.fromisoformat(data["saved_at"]),
            data.get("routine_id"),
            str(data["status"]),
        )


def snapshot_of(job_state: JobState, seq: int) -> tuple[CheckpointInfo, dict[str, Any]]:
    """The info and the full serialized state of checkpoint `seq` of `job_state`."""
    data = unstructure_job_state(job_state, full=True)  # stores keep every key
    running = data.get("status") == "running"
    routine_id = job_state.last_activated_id if running else None  # the one that just ran
    if routine_id is None:  # the job's end (or a pause): the last routine recorded
        history = data.get("execution_history") or []
        routine_id = history[-1].get("routine_id") if history else None
    info = CheckpointInfo(job_state.job_id, seq, utcnow(), routine_id, job_state.status)
    return info, data


def keeps_history(store: Any) -> bool:
    """Whether `store` implements checkpoint history."""
    return all(
        callable(getattr(store, name, None))
        for name in ("save_checkpoint", "history", "load_checkpoint")
    )


def require_history(store: Any) -> Any:
    """`store`, checked to keep checkpoint history (else a `StoreError` naming it)."""
    if not keeps_history(store):
        raise StoreError(
            f"the store {getattr(store, 'url', store)!r} keeps no checkpoint history "
            "(it lacks save_checkpoint/history/load_checkpoint); use sqlite://, file://, "
            "memory://, postgresql:// or redis://"
        )
    return store


def missing_checkpoint(store: JobStore, job_id: str, seq: int, kept: list[int]) -> JobNotFoundError:
    """The error for an unknown checkpoint, listing the kept ones."""
    return JobNotFoundError(
        f"job {job_id!r} in {getattr(store, 'safe_url', store.url)} has no checkpoint {seq}; kept: "
        f"{', '.join(map(str, kept)) or 'none (run the flow with keep_checkpoints=N)'}"
    )


def record_checkpoint(flow: Flow, job_state: JobState) -> None:
    """Keep the checkpoint just saved, if the flow keeps history (call after a save)."""
    keep = flow.keep_checkpoints
    store = flow.store
    if keep and store is not None:
        require_history(store).save_checkpoint(job_state, keep)
