"""`ExecutionTracker`: routilux 0.10's record of routine runs and events, with timings.

A standalone, thread-safe log a program fills (``record_routine_start`` /
``record_routine_end`` / ``record_event``) and queries for per-routine and
per-flow performance figures. It round-trips through `serialize` /
`deserialize` with 0.10's keys. For what a flow run actually did, prefer the
job's own records (``job_state.execution_history``, routine states), which
routilux keeps per job.
"""

from __future__ import annotations

import copy
import threading
from datetime import datetime
from typing import Any

from .records import recorded_by_str

_FIELDS = ("flow_id", "routine_executions", "event_flow", "performance_metrics")


@recorded_by_str
class ExecutionTracker:
    """Routine executions (start/end, status, duration) and emitted events of a flow.

    ``routine_executions`` maps a routine id to its execution records (dicts
    with ``routine_id``, ``start_time``, ``params``, ``status`` and, once ended,
    ``end_time``, ``execution_time`` in seconds, ``result``/``error`` if given);
    ``event_flow`` lists event records (``timestamp``, ``source_routine_id``,
    ``event_name``, ``target_routine_id``, ``data``). Times are local ISO 8601.
    """

    def __init__(self, flow_id: str = "") -> None:
        self.flow_id: str = flow_id
        self.routine_executions: dict[str, list[dict[str, Any]]] = {}
        self.event_flow: list[dict[str, Any]] = []
        self.performance_metrics: dict[str, Any] = {}
        self._lock = threading.Lock()

    def record_routine_start(self, routine_id: str, params: dict[str, Any] | None = None) -> None:
        """Open a new ``"running"`` execution record for `routine_id`."""
        record = {
            "routine_id": routine_id,
            "start_time": datetime.now().isoformat(),
            "params": params or {},
            "status": "running",
        }
        with self._lock:
            self.routine_executions.setdefault(routine_id, []).append(record)

    def record_routine_end(
        self,
        routine_id: str,
        status: str = "completed",
        result: Any = None,
        error: str | None = None,
    ) -> None:
        """Close `routine_id`'s latest execution record (ignored if it has none)."""
        with self._lock:
            records = self.routine_executions.get(routine_id)
            if not records:
                return
            record = records[-1]
            end = datetime.now()
            record["end_time"] = end.isoformat()
            record["status"] = status
            if result is not None:
                record["result"] = result
            if error is not None:
                record["error"] = error
            start = datetime.fromisoformat(record["start_time"])
            record["execution_time"] = (end - start).total_seconds()

    def record_event(
        self,
        source_routine_id: str,
        event_name: str,
        target_routine_id: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Append an event emission to ``event_flow``."""
        record = {
            "timestamp": datetime.now().isoformat(),
            "source_routine_id": source_routine_id,
            "event_name": event_name,
            "target_routine_id": target_routine_id,
            "data": data or {},
        }
        with self._lock:
            self.event_flow.append(record)

    def get_routine_performance(self, routine_id: str) -> dict[str, Any] | None:
        """Counts, success rate and execution-time figures of `routine_id`, or None."""
        with self._lock:
            records = list(self.routine_executions.get(routine_id) or [])
        if not records:
            return None
        total = len(records)
        completed = sum(1 for r in records if r.get("status") == "completed")
        failed = sum(1 for r in records if r.get("status") == "failed")
        times = [r.get("execution_time", 0) for r in records if "execution_time" in r]
        return {
            "total_executions": total,
            "completed": completed,
            "failed": failed,
            "success_rate": completed / total,
            "avg_execution_time": sum(times) / len(times) if times else 0,
            "min_execution_time": min(times) if times else 0,
            "max_execution_time": max(times) if times else 0,
        }

    def get_flow_performance(self) -> dict[str, Any]:
        """Routines seen, events seen, and the sum and mean of routines' average times."""
        with self._lock:
            routine_ids = list(self.routine_executions)
            total_events = len(self.event_flow)
        averages = []
        for routine_id in routine_ids:
            perf = self.get_routine_performance(routine_id)
            if perf and perf.get("avg_execution_time"):
                averages.append(perf["avg_execution_time"])
        total = sum(averages)
        return {
            "total_routines": len(routine_ids),
            "total_events": total_events,
            "total_execution_time": total,
            "avg_routine_time": total / len(averages) if averages else 0,
        }

    def serialize(self) -> dict[str, Any]:
        """A plain dict (0.10's keys: ``_type`` and the four fields), copied."""
        with self._lock:
            fields = {name: copy.deepcopy(getattr(self, name)) for name in _FIELDS}
        return {"_type": "ExecutionTracker", **fields}

    def deserialize(self, data: dict[str, Any], registry: Any = None) -> ExecutionTracker:
        """Take back `serialize` output onto this tracker; returns self.

        Only the four known fields are read; `registry` (0.10's) is ignored.
        """
        with self._lock:
            for name in _FIELDS:
                if name in data:
                    setattr(self, name, copy.deepcopy(data[name]))
        return self


def _local(timestamp: datetime) -> datetime:
    """A record's (UTC-aware) timestamp as 0.10's trackers hold times: local, naive."""
    return timestamp.astimezone().replace(tzinfo=None) if timestamp.tzinfo else timestamp


class LatestRun:
    """`Flow.execution_tracker` after `Flow.execute`: that job, read as 0.10's tracker.

    routilux 0.10 gave the flow a new `ExecutionTracker` on each ``execute`` and
    filled it as the job ran. Here the job's own history is the one record of what
    ran (nothing extra on the hot path): `tracker` builds the tracker from it when
    read, the same object again once the job has ended. As in 0.10, it holds the
    entry routine's execution (closed only when its trigger failed, or succeeded
    after retries) and one ``event_flow`` entry per emitted event, naming routines
    by their `Routine._id` and the target by the event's first connection.
    """

    __slots__ = ("entry_id", "final", "flow", "job_state")

    def __init__(self, flow: Any, job_state: Any, entry_id: str) -> None:
        self.flow = flow
        self.job_state = job_state
        self.entry_id = entry_id
        self.final: ExecutionTracker | None = None

    def tracker(self) -> ExecutionTracker:
        """The tracker of this job as it stands (the same object once the job ended)."""
        if self.final is not None:
            return self.final
        ended = self.job_state.status in ("completed", "failed", "cancelled")
        tracker = self._build()
        if ended:
            self.final = tracker
        return tracker

    def _build(self) -> ExecutionTracker:
        flow = self.flow
        tracker = ExecutionTracker(flow.flow_id)
        routines = flow.routines
        targets: dict[tuple[str, str], str | None] = {}
        for connection in flow.connections:
            key = (connection.source_routine_id, connection.source_event_name)
            target = routines.get(connection.target_routine_id)
            targets.setdefault(key, None if target is None else target.default_id)
        entry: dict[str, Any] | None = None
        retried = False
        for record in self.job_state.execution_history:
            routine_id, event_name = record.routine_id, record.event_name
            if routine_id == self.entry_id:
                if event_name == "start" and entry is None:
                    entry = {
                        "routine_id": routine_id,
                        "start_time": _local(record.timestamp).isoformat(),
                        "params": dict(record.data),
                        "status": "running",
                    }
                    continue
                if event_name == "retry":
                    retried = True
                elif (
                    entry is not None
                    and event_name == "error"
                    and record.data.get("slot", "trigger") == "trigger"
                    and "end_time" not in entry
                ):
                    self._close(entry, record.timestamp, "failed", record.data.get("error"))
            routine = routines.get(routine_id)
            if routine is not None and event_name in routine.events:
                tracker.event_flow.append(
                    {
                        "timestamp": _local(record.timestamp).isoformat(),
                        "source_routine_id": routine.default_id,
                        "event_name": event_name,
                        "target_routine_id": targets.get((routine_id, event_name)),
                        "data": dict(record.data),
                    }
                )
        if entry is not None:
            state = self.job_state.get_routine_state(self.entry_id) or {}
            if retried and state.get("status") == "completed" and "end_time" not in entry:
                self._close(entry, self.job_state.updated_at, "completed", None)
            tracker.routine_executions[self.entry_id] = [entry]
        return tracker

    @staticmethod
    def _close(entry: dict[str, Any], when: datetime, status: str, error: Any) -> None:
        end = _local(when)
        entry["end_time"] = end.isoformat()
        entry["status"] = status
        if error is not None:
            entry["error"] = error
        start = datetime.fromisoformat(entry["start_time"])
        entry["execution_time"] = (end - start).total_seconds()
