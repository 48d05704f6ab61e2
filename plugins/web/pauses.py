"""Pause points of a job and answers to them, behind two functions.

A pause point is ``{"id", "routine_id", "prompt", "fields"}``. Named pause
points waiting for an answer (``job.pause_points`` entries with status
``waiting``, answered with ``flow.resume(job, answers={pause_id: {...}})``) are
used as they are; a job paused before pause points existed gets them derived
from its deferred events (what an older ``control.human_input`` left: the
event's data carries ``prompt`` and ``expects``), answered as ``input``.
"""

from __future__ import annotations

from typing import Any

from routilux import Flow, JobState
from routilux.errors import PauseAnswerError, RoutiluxError
from routilux.pause_points import check_answers


class AnswerError(RoutiluxError):
    """An answer that does not fit the pause point it is for (nothing was consumed)."""


def pause_points(job: JobState) -> list[dict[str, Any]]:
    """The pause points `job` waits at (empty unless it is paused at one)."""
    named = [p for p in job.pause_points if p.get("status") == "waiting"]
    if named:
        return [
            {
                "id": str(p["id"]),
                "routine_id": str(p.get("routine_id", "")),
                "prompt": str(p.get("prompt", "")),
                "fields": [str(f) for f in p.get("fields") or []],
            }
            for p in named
        ]
    points: list[dict[str, Any]] = []
    seen: set[str] = set()
    for event in job.deferred_events:
        data = event.get("data") or {}
        if "expects" not in data and "prompt" not in data:
            continue
        base = f"{event['routine_id']}.{event['event_name']}"
        point_id, n = base, 1
        while point_id in seen:
            n += 1
            point_id = f"{base}.{n}"
        seen.add(point_id)
        points.append(
            {
                "id": point_id,
                "routine_id": event["routine_id"],
                "prompt": str(data.get("prompt", "")),
                "fields": [str(f) for f in data.get("expects") or []],
            }
        )
    return points


def check_answer(job: JobState, pause_id: Any, answer: Any) -> dict[str, Any]:
    """The pause point `answer` is for, after checking it with the engine's own check
    (`routilux.pause_points.check_answers`), and that every value is a plain one (a
    form field); `AnswerError` names what is wrong and what is expected."""
    points = {p["id"]: p for p in pause_points(job)}
    if not isinstance(pause_id, str) or pause_id not in points:
        known = ", ".join(sorted(points)) or "none: the job is not waiting for an answer"
        raise AnswerError(
            f"job {job.job_id} has no pause point {pause_id!r} (pause points: {known})"
        )
    point = points[pause_id]
    try:  # a derived pause point is checked as a waiting one too
        check_answers(job.job_id, [{**point, "status": "waiting"}], {pause_id: answer})
    except PauseAnswerError as exc:
        raise AnswerError(str(exc)) from None
    for key, value in answer.items():
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            raise AnswerError(f"field {key!r} of the answer to {pause_id!r} must be a plain value")
    return point


def answer(flow: Flow, job: JobState, pause_id: str, values: dict[str, Any]) -> JobState:
    """Resume `job` with `values` as the answer to pause point `pause_id` (checked first)."""
    check_answer(job, pause_id, values)
    named = any(p.get("id") == pause_id for p in job.waiting_pause_points)
    if named:
        return flow.resume(job, answers={pause_id: values})
    return flow.resume(job, input=values)  # a pause derived from deferred events
