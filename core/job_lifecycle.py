"""JobLifecycle: a job's start, resume and end as the engine makes them.

Each is one change of the job, made with its lock held (so waiters and
checkpoints never see half of it): `start` (status, ``start`` record, the entry's
trigger pending), `resume` (deferred events dropped, pauses marked resumed,
answers taken), `end`, and the pause points a ``flow.pause()`` records.

A base class of `JobState`, which declares the fields.
"""

from __future__ import annotations

from collections import deque
from time import time as _time
from typing import TYPE_CHECKING, Any

from .pause_points import (
    any_waiting,
    cancel_waiting,
    manual_pause_records,
    mark_resumed,
    take_answers,
)
from .records import HistoryEntry, JobStatus, RoutineStatus, SlotActivation, new_activation
from .waiting import JobCondition

_FAILED: str = RoutineStatus.FAILED.value


class JobLifecycle:
    """A `JobState`'s start, resume and end (see the module docstring)."""

    if not TYPE_CHECKING:  # no __dict__ for JobState
        __slots__ = ()

    # Declared by JobState and its other bases; named here for type checkers (and
    # imported at run time, for tools that read them from the source). JobState lists
    # this class last among its bases, so that these stubs never hide the real methods
    # where TYPE_CHECKING is set at run time (the docs build).
    if TYPE_CHECKING:
        flow_id: str
        history_limit: int | None
        entry_routine_id: str | None
        current_routine_id: str | None
        _status: JobStatus
        _resumed: bool
        _execution_history: deque[HistoryEntry]
        _history_total: int
        _mtime: float
        _version: int
        _watchers: int
        _status_waiters: int
        _pending: dict[int, SlotActivation]
        _deferred_events: list[dict[str, Any]]
        _pause_points: list[dict[str, Any]]
        _routine_states: dict[str, dict[str, Any]]

        def apply_history_limit(self, limit: int | None) -> None: ...
        def add_pending(self, activation: SlotActivation) -> SlotActivation: ...
        def clear_pending(self) -> None: ...
        def condition(self) -> JobCondition: ...

    def start(
        self, flow_id: str, entry_id: str, params: dict[str, Any], history_limit: int | None
    ) -> None:
        """The job starts running at `entry_id`: the flow's history bound, status, the
        ``start`` record and the entry's ``trigger`` activation pending (`params` already
        checked; lock held)."""
        self.flow_id = flow_id
        if history_limit != self.history_limit:
            self.apply_history_limit(history_limit)
        self.entry_routine_id = entry_id
        self._status = JobStatus.RUNNING
        self.current_routine_id = entry_id
        now = _time()
        # `append_record`, `add_pending` and `touch_status`, written out (once per job)
        self._execution_history.append((entry_id, "start", params, now))
        self._history_total += 1
        self.add_pending(new_activation(entry_id, "trigger", params))
        self._mtime = now
        self._version += 1
        if self._watchers or self._status_waiters:
            self.condition().notify_all()

    def resume(
        self, answers: dict[str, dict[str, Any]], history_limit: int | None
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """The job runs again: deferred events dropped, ``flow.pause()`` records marked
        resumed, the pause points in `answers` answered. Returns the answers' emits as
        ``(routine_id, event, data)``; the caller records and delivers them (lock held)."""
        self.apply_history_limit(history_limit)
        self._status = JobStatus.RUNNING
        self._resumed = True
        self._deferred_events.clear()
        mark_resumed(self._pause_points)
        return take_answers(self._pause_points, answers)

    def end(self, status: JobStatus, reason: str = "") -> None:
        """The job ended with `status`: a cancelled job forgets its pending activations
        and its waiting pause points, and keeps the `reason` as routilux 0.10 did (the
        routine state ``_cancellation``). Waiters are not woken (the engine wakes them
        with `notify_all_waiters` once the store has the end); call with the lock held."""
        if status == JobStatus.CANCELLED:
            self.clear_pending()
            cancel_waiting(self._pause_points)
            self._routine_states["_cancellation"] = {"reason": reason}
        self._status = status
        self._mtime = _time()
        self._version += 1

    def add_manual_pause(self, reason: str, checkpoint: dict[str, Any] | None = None) -> None:
        """Record a ``flow.pause()`` as a pause point, with routilux 0.10's
        ``pause(checkpoint=)`` data if given (already checked and copied; lock held)."""
        self._pause_points.extend(
            manual_pause_records(reason, self.current_routine_id, len(self._pending), checkpoint)
        )

    def has_waiting_pause_points(self) -> bool:
        """Whether a pause point still waits for its answer; call with the lock held."""
        points = self._pause_points
        return bool(points) and any_waiting(points)

    def has_failed_routine(self) -> bool:
        """Whether a routine of the job has failed; call with the lock held."""
        for state in self._routine_states.values():  # noqa: SIM110 (no generator per job)
            if state.get("status") == _FAILED:
                return True
        return False


__all__ = ["JobLifecycle"]
