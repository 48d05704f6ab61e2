"""``memory://[name]``: a job store inside this process.

Stores serialized copies, so a loaded JobState never shares objects with the
saved one. Stores opened with the same name share their jobs.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import routilux
from routilux import JobNotFoundError, JobState, JobSummary

_shared: dict[str, dict[str, str]] = {}
_shared_lock = threading.Lock()


class MemoryJobStore:
    """Jobs in a dict of JSON documents, guarded by a lock."""

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        name = url.partition("://")[2]
        with _shared_lock:
            self._jobs = _shared.setdefault(name, {}) if name else {}
        self._lock = threading.Lock()

    def save(self, job_state: JobState) -> None:
        text = json.dumps(job_state.serialize())
        with self._lock:
            self._jobs[job_state.job_id] = text

    def load(self, job_id: str) -> JobState:
        with self._lock:
            text = self._jobs.get(job_id)
        if text is None:
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
        return JobState.from_dict(json.loads(text))

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        with self._lock:
            texts = list(self._jobs.values())
        summaries = []
        for text in texts:
            job = JobState.from_dict(json.loads(text))
            if (flow_id is None or job.flow_id == flow_id) and (
                status is None or job.status == status
            ):
                summaries.append(
                    JobSummary(job.job_id, job.flow_id, job.status, job.created_at, job.updated_at)
                )
        summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return summaries if limit is None else summaries[:limit]

    def delete(self, job_id: str) -> None:
        with self._lock:
            if self._jobs.pop(job_id, None) is None:
                raise JobNotFoundError(f"no job {job_id!r} in {self.url}")

    def close(self) -> None:
        return None

    def __enter__(self) -> MemoryJobStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"memory": MemoryJobStore}
