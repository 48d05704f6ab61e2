"""Forking a job: a new job from one of its stored checkpoints (time travel).

`Flow.fork` and ``routilux fork`` use these: `fork_state` makes the new JobState
from the checkpoint, `start_fork` saves it and runs what was pending there.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from .errors import JobStateError
from .history import record_checkpoint, require_history
from .job_state import JobState
from .jobs import resume_job
from .records import JobStatus
from .serialization import unstructure_job_state
from .times import utcnow

if TYPE_CHECKING:
    from .flow import Flow


def fork_state(
    flow: Flow, job: JobState | str, at: int, metadata: dict[str, Any] | None = None
) -> JobState:
    """A new JobState from checkpoint `at` of `job` (a JobState or id), not started.

    It has a new id, the checkpoint's state and
    ``metadata["forked_from"] = {"job_id": ..., "seq": at}`` (plus `metadata`).
    """
    store = flow.store
    if store is None:
        raise JobStateError("fork needs the flow's store (Flow(store=URL)) to read checkpoints")
    parent_id = job if isinstance(job, str) else job.job_id
    snapshot = require_history(store).load_checkpoint(parent_id, at)
    if snapshot.status in (JobStatus.COMPLETED, JobStatus.CANCELLED):
        raise JobStateError(
            f"checkpoint {at} of job {parent_id} is {snapshot.status}: nothing runs from it; "
            "fork from an earlier checkpoint (routilux history JOB lists them)"
        )
    data = unstructure_job_state(snapshot, full=True)  # the counts too
    data["job_id"] = str(uuid.uuid4())
    data["created_at"] = utcnow().isoformat()
    data["metadata"] = {
        **data.get("metadata", {}),
        **(metadata or {}),
        "forked_from": {"job_id": parent_id, "seq": at},
    }
    return JobState.from_dict(data)


def start_fork(flow: Flow, child: JobState) -> JobState:
    """Save `child` (from `fork_state`) and run what was pending at its checkpoint."""
    if child.waiting_pause_points and not child.pending_tasks and not child.deferred_events:
        assert flow.store is not None
        flow.store.save(child)  # waiting for answers: nothing runs until they come
        record_checkpoint(flow, child)
        return child
    return resume_job(flow, child, None)


def fork_job(
    flow: Flow, job: JobState | str, at: int, metadata: dict[str, Any] | None = None
) -> JobState:
    """See `Flow.fork`: `fork_state`, then `start_fork`."""
    return start_fork(flow, fork_state(flow, job, at, metadata))
