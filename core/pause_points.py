"""Named pause points: where a job waits for an answer, and the checks on answers.

A routine calls ``self.pause_for_input(event, data, prompt=..., fields=[...])``
(``control.human_input`` does): the job records a *pause point* and parks that
branch only. Its other branches run on until nothing else can run; then the job
stops as ``paused`` with every pause point it reached. ``flow.resume(job,
answers={pause_id: {field: value}})`` checks every answer before anything is
consumed, marks the answered points, and emits each one's event with its data
plus the answer; unanswered points keep waiting.

Pause points are plain JSON data in ``job.pause_points`` (a web UI or a script
reads them as they are); a changed pause point is replaced by a new dict, never
changed in place, so a snapshot of the list stays as it was::

    {"id": "approve_budget",        # stable: unique in its job, stored with it
     "routine_id": "approve_budget",  # the routine that made it
     "prompt": "Approve the budget?", "fields": ["approved"],
     "status": "waiting",           # -> "answered" (with "answer", "answered_at"),
                                    #    or "cancelled" with the job
     "event": "answer", "data": {...},  # what is emitted when it is answered
     "reason": "Approve the budget?", "timestamp": "..."}

A pause made with ``flow.pause()`` is recorded in the same list as routilux 0.10
recorded it, in two dicts with no id and no status (it is resumed, not answered):
the flow's ``{timestamp, reason, checkpoint, pending_tasks_count, active_tasks_count,
queue_size}``, then the job's ``{timestamp, reason, current_routine_id, checkpoint}``.
(Jobs saved by earlier versions hold one record with status ``paused``/``resumed``.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import PauseAnswerError
from .payload import check_payload, copy_json
from .times import now_local

WAITING = "waiting"
ANSWERED = "answered"
PAUSED = "paused"
RESUMED = "resumed"
CANCELLED = "cancelled"


def _free_id(points: list[dict[str, Any]], base: str) -> str:
    """`base`, or ``base-2``, ``base-3`` ...: the first id no pause point of the job has."""
    taken = {p.get("id") for p in points}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def new_pause_point(
    points: list[dict[str, Any]],
    routine_id: str,
    event_name: str,
    data: dict[str, Any],
    prompt: str,
    fields: list[str],
    pause_id: str | None,
) -> dict[str, Any]:
    """A waiting pause point with an id unique among `points` (call with the job's lock).

    The default id is the routine id (``-2``, ``-3`` ... for a routine's later
    pause points in the same job): deterministic, so a job re-run from a
    checkpoint names its pause points the same way.
    """
    if pause_id is None:
        pause_id = _free_id(points, routine_id)
    elif any(p.get("id") == pause_id for p in points):
        raise PauseAnswerError(
            f"routine {routine_id!r} asked for pause id {pause_id!r}, which this job already "
            "has; pause ids are unique in a job: pass another pause_id (or none for a default)"
        )
    return {
        "id": pause_id,
        "routine_id": routine_id,
        "prompt": prompt,
        "fields": list(fields),
        "status": WAITING,
        "event": event_name,
        "data": data,
        "reason": prompt,
        "timestamp": now_local().isoformat(),
    }


def manual_pause_records(
    reason: str,
    routine_id: str | None,
    pending: int,
    checkpoint: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """The records of a ``flow.pause()``, as routilux 0.10 made them: the flow's (how
    much work the pause left queued: nothing runs or waits in a queue once a job is
    paused here) and the job's. `checkpoint` is already checked and copied."""
    now = now_local().isoformat()
    kept = checkpoint if checkpoint is not None else {}
    return [
        {
            "timestamp": now,
            "reason": reason,
            "checkpoint": kept,
            "pending_tasks_count": pending,
            "active_tasks_count": 0,
            "queue_size": 0,
        },
        {
            "timestamp": now,
            "reason": reason,
            "current_routine_id": routine_id,
            "checkpoint": copy_json(kept),
        },
    ]


def any_waiting(points: list[dict[str, Any]]) -> bool:
    """Whether a pause point of the job still waits for its answer."""
    return any(p.get("status") == WAITING for p in points)


def describe(points: list[dict[str, Any]]) -> str:
    """``'a' (fields: x, y), 'b' (any fields)`` for error messages."""
    parts = []
    for p in points:
        fields = ", ".join(p.get("fields") or []) or "any fields"
        parts.append(f"{p['id']!r} (fields: {fields})")
    return "; ".join(parts) or "none"


def check_answers(
    job_id: str, points: list[dict[str, Any]], answers: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Check `answers` against the job's waiting pause points; nothing is changed.

    Each key must be the id of a waiting pause point and each value a mapping
    holding exactly the fields that point expects (any keys if it declares
    none). Raises `PauseAnswerError` naming the pause point and the fields it
    expects. Returns the answers as plain dicts.
    """
    if not isinstance(answers, Mapping):
        raise PauseAnswerError(
            f"answers for job {job_id} must map pause ids to answers, got "
            f"{type(answers).__name__}; e.g. answers={{'approve': {{'approved': 'yes'}}}}"
        )
    waiting = {p["id"]: p for p in points if p.get("status") == WAITING}
    checked: dict[str, dict[str, Any]] = {}
    for pause_id, answer in answers.items():
        point = waiting.get(pause_id)
        if point is None:
            answered = any(p.get("id") == pause_id for p in points)
            why = "was already answered" if answered else "is not a pause point of it"
            raise PauseAnswerError(
                f"job {job_id}: {pause_id!r} {why}; the pause points waiting for an answer: "
                f"{describe(list(waiting.values()))}"
            )
        if not isinstance(answer, Mapping):
            raise PauseAnswerError(
                f"the answer to pause point {pause_id!r} of job {job_id} must be a mapping of "
                f"field to value, got {type(answer).__name__}; it expects: "
                f"{', '.join(point['fields']) or 'any fields'}"
            )
        answer = dict(answer)
        fields = list(point.get("fields") or [])
        if fields:
            unknown = [k for k in answer if k not in fields]
            missing = [f for f in fields if f not in answer]
            if unknown or missing:
                problems = []
                if unknown:
                    problems.append(f"unknown field(s) {', '.join(map(repr, unknown))}")
                if missing:
                    problems.append(f"missing field(s) {', '.join(map(repr, missing))}")
                raise PauseAnswerError(
                    f"the answer to pause point {pause_id!r} of job {job_id} has "
                    f"{' and '.join(problems)}; it expects exactly: {', '.join(fields)} "
                    "(nothing was changed: the job still waits)"
                )
        check_payload(answer, f"answers[{pause_id!r}]")
        checked[pause_id] = answer
    return checked


def take_answers(
    points: list[dict[str, Any]], answers: dict[str, dict[str, Any]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """Mark the answered points (call with the job's lock, after `check_answers`).

    Returns ``(routine_id, event_name, data)`` to emit for each, in the order
    the pause points were made.
    """
    emits = []
    now = now_local().isoformat()
    for i, point in enumerate(points):
        answer = answers.get(point.get("id"))  # type: ignore[arg-type]
        if answer is None or point.get("status") != WAITING:
            continue
        # replaced, never changed in place: a snapshot taken before keeps its copy
        points[i] = {**point, "status": ANSWERED, "answer": copy_json(answer), "answered_at": now}
        emits.append((point["routine_id"], point["event"], {**point["data"], **answer}))
    return emits


def mark_resumed(points: list[dict[str, Any]]) -> None:
    """Mark the ``flow.pause()`` records of jobs saved by earlier versions as resumed
    (call with the job's lock)."""
    for i, point in enumerate(points):
        if point.get("status") == PAUSED:
            points[i] = {**point, "status": RESUMED}


def cancel_waiting(points: list[dict[str, Any]]) -> None:
    """Mark the waiting pause points of a cancelled job (call with the job's lock)."""
    for i, point in enumerate(points):
        if point.get("status") == WAITING:
            points[i] = {**point, "status": CANCELLED}
