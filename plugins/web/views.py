"""JobStates and store summaries as the JSON the API serves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from routilux import JobState, JobSummary

from .pauses import pause_points

HISTORY_PAGE = 50


def _time(value: datetime) -> str:
    """In UTC, for the browser: a JobState shows local times without zone (as 0.10)."""
    return value.astimezone(timezone.utc).isoformat()


def summary_json(summary: JobSummary) -> dict[str, Any]:
    """A stored job's line: with the process holding its claim (``owner``, ``lease_until``)
    if one does, and why it cannot be read (``problem``) if it cannot."""
    row: dict[str, Any] = {
        "job_id": summary.job_id,
        "flow_id": summary.flow_id,
        "status": summary.status,
        "created_at": _time(summary.created_at),
        "updated_at": _time(summary.updated_at),
    }
    owner = getattr(summary, "owner", None)
    if owner:
        row["owner"] = owner
        lease = getattr(summary, "lease_until", None)
        row["lease_until"] = _time(lease) if lease is not None else None
    problem = getattr(summary, "problem", None)
    if problem:
        row["problem"] = problem
    return row


def job_summary_json(job: JobState) -> dict[str, Any]:
    return {
        "job_id": job.job_id,
        "flow_id": job.flow_id,
        "status": job.status,
        "created_at": _time(job.created_at),
        "updated_at": _time(job.updated_at),
    }


def row_json(row: JobSummary | JobState) -> dict[str, Any]:
    """A line of the jobs list: a stored summary, or a job running in this server."""
    return job_summary_json(row) if isinstance(row, JobState) else summary_json(row)


def record_json(record: Any) -> dict[str, Any]:
    return {
        "timestamp": _time(record.timestamp),
        "routine_id": record.routine_id,
        "event_name": record.event_name,
        "data": record.data,
    }


def errors_of(
    history: list[Any],
    routine_states: dict[str, dict[str, Any]],
    traceback_of: Callable[[str], str | None] = lambda routine_id: None,
) -> list[dict[str, Any]]:
    """Every failure in the history (with its traceback when one was kept), else the
    routines whose state says they failed.

    A flow under routilux 0.10's rules keeps no traceback in its records: a routine's
    latest failure then shows the one the job kept (`JobState.traceback_of`)."""
    errors = [
        {
            "timestamp": _time(r.timestamp),
            "routine_id": r.routine_id,
            "outcome": r.event_name,
            "slot": r.data.get("slot"),
            "attempt": r.data.get("attempt"),
            "error_type": r.data.get("error_type", ""),
            "error": r.data.get("error", ""),
            "traceback": r.data.get("traceback", ""),
        }
        for r in history
        if r.event_name in ("error", "retry", "error_continued", "skipped") and "error" in r.data
    ]
    if not errors:
        errors = [
            {"routine_id": rid, "outcome": state.get("status"), "error": state["error"]}
            for rid, state in routine_states.items()
            if "error" in state
        ]
    seen = set()
    for error in reversed(errors):
        rid = error["routine_id"]
        if rid not in seen:
            seen.add(rid)
            if not error.get("traceback"):
                error["traceback"] = traceback_of(rid) or ""
    return errors


def job_json(
    job: JobState, history_offset: int | None = None, history_limit: int = HISTORY_PAGE
) -> dict[str, Any]:
    """A job's detail: status, routine states, a page of history (the last one by
    default), outputs, errors, pending work and the pause points with their fields."""
    history = job.execution_history
    total = len(history)
    limit = max(0, min(history_limit, 1000))
    start = max(0, total - limit) if history_offset is None else max(0, min(history_offset, total))
    routine_states = job.routine_states
    return {
        **job_summary_json(job),
        "metadata": job.metadata,
        "routine_states": routine_states,
        "history": {
            "total": total,
            "offset": start,
            "records": [record_json(r) for r in history[start : start + limit]],
        },
        "outputs": job.output_log,
        "errors": errors_of(history, routine_states, job.traceback_of),
        "pending": [
            {k: t.get(k) for k in ("routine_id", "slot_name", "attempt")} for t in job.pending_tasks
        ],
        "deferred_events": [
            {"routine_id": e["routine_id"], "event_name": e["event_name"]}
            for e in job.deferred_events
        ],
        "pause_points": pause_points(job),
    }
