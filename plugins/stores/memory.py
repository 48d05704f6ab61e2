"""``memory://[name]``: a job store inside this process.

Keeps each job as the parts a checkpoint writes (a small document, the
history and logs as lists of entries, pending activations by seq), as plain
JSON-compatible copies, so a save costs O(what changed) and a loaded JobState
never shares objects with the saved one. Stores opened with the same name
share their jobs (and claims); nothing outlives the process.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

import routilux
from routilux import JobState, JobSummary
from routilux.checkpoint import JobDelta, assemble_job_state
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of
from routilux.job_changes import encode_json
from routilux.store_base import JobStoreBase


class _Space:
    """The jobs, claims and kept checkpoints of one store name, under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.claims: dict[str, tuple[str, float]] = {}
        #: Kept checkpoints: ``{job_id: [(info dict, JSON text), ...]}``, oldest first.
        self.checkpoints: dict[str, list[tuple[dict[str, Any], str]]] = {}


_shared: dict[str, _Space] = {}
_shared_lock = threading.Lock()


class MemoryJobStore(JobStoreBase):
    """Jobs in dicts of JSON text, guarded by a lock."""

    incremental = True

    def __init__(self, url: str = "memory://") -> None:
        super().__init__(url)
        name = self.location
        with _shared_lock:
            self._space = _shared.setdefault(name, _Space()) if name else _Space()

    def _save_delta(self, delta: JobDelta, now: float) -> bool:
        job_id = delta.job_id
        dumps = encode_json
        space = self._space
        with space.lock:
            holder = space.claims.get(job_id)
            if holder is not None and not self.may_write(holder[0], holder[1], now):
                raise self.claimed_error(job_id, holder[0], holder[1], now)
            stored = space.jobs.get(job_id)
            if stored is not None and stored["seq"] >= delta.seq:
                return False
            if delta.full or stored is None:
                stored = {"history": [], "shared_log": [], "output_log": [], "pending": {}}
            stored["seq"] = delta.seq
            stored["document"] = delta.document_json
            # the usual save after an activation appends to no part and drops nothing
            if (
                delta.history
                or delta.shared_log
                or delta.output_log
                or delta.history_first
                or delta.shared_log_first
                or delta.output_log_first
            ):
                _write_parts(stored, delta)
            for task in delta.pending_upserts:
                stored["pending"][task["seq"]] = dumps(task)
            for seq in delta.pending_deletes:
                stored["pending"].pop(seq, None)
            space.jobs[job_id] = stored
        return True

    def _load(self, job_id: str) -> JobState:
        with self._space.lock:
            stored = self._space.jobs.get(job_id)
            if stored is None:
                raise self.not_found(job_id)
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

    def _list(self, flow_id: str | None, status: str | None, limit: int | None) -> list[JobSummary]:
        with self._space.lock:
            documents = [json.loads(stored["document"]) for stored in self._space.jobs.values()]
            claims = dict(self._space.claims)
        summaries = []
        for doc in documents:
            if (flow_id is None or doc["flow_id"] == flow_id) and (
                status is None or doc["status"] == status
            ):
                job = JobState.from_dict(doc)
                summaries.append(self.summary_of(job, claims.get(job.job_id)))
        return self.newest_first(summaries, limit)

    def _delete(self, job_id: str) -> bool:
        with self._space.lock:
            self._space.claims.pop(job_id, None)
            self._space.checkpoints.pop(job_id, None)
            return self._space.jobs.pop(job_id, None) is not None

    def _claim(self, job_id: str, owner: str, now: float, until: float) -> tuple[str, float]:
        with self._space.lock:
            holder = self._space.claims.get(job_id)
            if holder is None or holder[0] == owner or holder[1] <= now:
                holder = self._space.claims[job_id] = (owner, until)
            return holder

    def _renew(self, job_ids: Iterable[str], owner: str, now: float, until: float) -> list[str]:
        renewed = []
        with self._space.lock:
            for job_id in job_ids:
                holder = self._space.claims.get(job_id)
                if holder is not None and holder[0] == owner:
                    self._space.claims[job_id] = (owner, until)
                    renewed.append(job_id)
        return renewed

    def _release(self, job_id: str, owner: str) -> None:
        with self._space.lock:
            holder = self._space.claims.get(job_id)
            if holder is not None and holder[0] == owner:
                del self._space.claims[job_id]

    # ------------------------------------------------------ checkpoint history

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        with self._space.lock:
            kept = self._space.checkpoints.setdefault(job_state.job_id, [])
            seq = kept[-1][0]["seq"] + 1 if kept else 1
            info, data = snapshot_of(job_state, seq)
            kept.append((info.to_dict(), json.dumps(data)))
            del kept[: max(0, len(kept) - keep)]
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        with self._space.lock:
            if job_id not in self._space.jobs and job_id not in self._space.checkpoints:
                raise self.not_found(job_id)
            infos = [info for info, _ in self._space.checkpoints.get(job_id, [])]
        return [CheckpointInfo.from_dict(info) for info in infos]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        with self._space.lock:
            kept = list(self._space.checkpoints.get(job_id, []))
        for info, text in kept:
            if info["seq"] == seq:
                return JobState.from_dict(json.loads(text))
        raise missing_checkpoint(self, job_id, seq, [info["seq"] for info, _ in kept])


def _write_parts(stored: dict[str, Any], delta: JobDelta) -> None:
    """Append `delta`'s new history, shared-log and output-log entries to a stored job,
    and drop those below the first entry the job keeps (its ``history`` bound)."""
    for part, rows, start, first in (
        ("history", delta.history, delta.history_start, delta.history_first),
        ("shared_log", delta.shared_log, delta.shared_log_start, delta.shared_log_first),
        ("output_log", delta.output_log, delta.output_log_start, delta.output_log_first),
    ):
        # entries are kept from index `offset` on: the job's history bound
        offset = stored.get(f"{part}_first", 0)
        if not rows and first <= offset:
            continue  # unchanged (most saves, for two parts of three)
        entries = stored[part]
        if not entries or start - offset > len(entries):  # a gap: entries fell out
            entries.clear()
            offset = start
        del entries[max(start - offset, 0) :]
        entries.extend(encode_json(row) for row in rows)
        if first > offset:
            del entries[: first - offset]
            offset = first
        stored[f"{part}_first"] = offset


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"memory": MemoryJobStore}
