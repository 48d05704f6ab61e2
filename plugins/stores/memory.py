"""``memory://[name]``: a job store inside this process.

Keeps each job as the parts a checkpoint writes (a small document, the
history and logs as lists of entries, pending activations by seq), as plain
JSON-compatible copies, so a save costs O(what changed) and a loaded JobState
never shares objects with the saved one. Stores opened with the same name
share their jobs; nothing outlives the process.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import routilux
from routilux import JobNotFoundError, JobState, JobSummary
from routilux.checkpoint import CheckpointTracker, assemble_job_state
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of

_shared: dict[str, dict[str, dict[str, Any]]] = {}
#: Kept checkpoints by store name: ``{job_id: [(info dict, JSON text), ...]}``, oldest first.
_shared_checkpoints: dict[str, dict[str, list[tuple[dict[str, Any], str]]]] = {}
_shared_lock = threading.Lock()


class MemoryJobStore:
    """Jobs in dicts of JSON text, guarded by a lock."""

    incremental = True

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        name = url.partition("://")[2]
        with _shared_lock:
            self._jobs = _shared.setdefault(name, {}) if name else {}
            self._checkpoints = _shared_checkpoints.setdefault(name, {}) if name else {}
        self._lock = threading.Lock()
        self._tracker = CheckpointTracker()
        #: What the saves wrote (see CheckpointTracker).
        self.stats = self._tracker.stats

    def save(self, job_state: JobState) -> None:
        job_id = job_state.job_id
        delta, new_mark = self._tracker.delta(job_state)
        dumps = json.dumps
        with self._lock:
            stored = self._jobs.get(job_id)
            if delta.full or stored is None:
                stored = {"history": [], "shared_log": [], "output_log": [], "pending": {}}
            stored["document"] = dumps(delta.document)
            for part, rows, start in (
                ("history", delta.history, delta.history_start),
                ("shared_log", delta.shared_log, delta.shared_log_start),
                ("output_log", delta.output_log, delta.output_log_start),
            ):
                del stored[part][start:]
                stored[part].extend(dumps(row) for row in rows)
            for task in delta.pending_upserts:
                stored["pending"][task["seq"]] = dumps(task)
            for seq in delta.pending_deletes:
                stored["pending"].pop(seq, None)
            self._jobs[job_id] = stored
        self._tracker.saved(delta, new_mark)

    def load(self, job_id: str) -> JobState:
        with self._lock:
            stored = self._jobs.get(job_id)
            if stored is None:
                raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
            document = stored["document"]
            parts = {p: list(stored[p]) for p in ("history", "shared_log", "output_log")}
            pending = [stored["pending"][seq] for seq in sorted(stored["pending"])]
        loads = json.loads
        return assemble_job_state(
            loads(document),
            [loads(r) for r in parts["history"]],
            [loads(r) for r in parts["shared_log"]],
            [loads(r) for r in parts["output_log"]],
            [loads(t) for t in pending],
        )

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        with self._lock:
            documents = [json.loads(stored["document"]) for stored in self._jobs.values()]
        summaries = []
        for doc in documents:
            if (flow_id is None or doc["flow_id"] == flow_id) and (
                status is None or doc["status"] == status
            ):
                job = JobState.from_dict(doc)
                summaries.append(
                    JobSummary(job.job_id, job.flow_id, job.status, job.created_at, job.updated_at)
                )
        summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return summaries if limit is None else summaries[:limit]

    def delete(self, job_id: str) -> None:
        self._tracker.forget(job_id)
        with self._lock:
            self._checkpoints.pop(job_id, None)
            if self._jobs.pop(job_id, None) is None:
                raise JobNotFoundError(f"no job {job_id!r} in {self.url}")

    # ------------------------------------------------------ checkpoint history

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        with self._lock:
            kept = self._checkpoints.setdefault(job_state.job_id, [])
            seq = kept[-1][0]["seq"] + 1 if kept else 1
            info, data = snapshot_of(job_state, seq)
            kept.append((info.to_dict(), json.dumps(data)))
            del kept[: max(0, len(kept) - keep)]
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        with self._lock:
            if job_id not in self._jobs and job_id not in self._checkpoints:
                raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
            infos = [info for info, _ in self._checkpoints.get(job_id, [])]
        return [CheckpointInfo.from_dict(info) for info in infos]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        with self._lock:
            kept = list(self._checkpoints.get(job_id, []))
        for info, text in kept:
            if info["seq"] == seq:
                return JobState.from_dict(json.loads(text))
        raise missing_checkpoint(self, job_id, seq, [info["seq"] for info, _ in kept])

    def close(self) -> None:
        self._tracker.forget()

    def __enter__(self) -> MemoryJobStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"memory": MemoryJobStore}
