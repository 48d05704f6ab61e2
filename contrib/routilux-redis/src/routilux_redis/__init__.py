"""``redis://``: routilux jobs in Redis (redis-py).

Keys (prefix ``routilux``): ``job:<id>`` hash (flow_id, status, created_at,
updated_at, document), ``job:<id>:history`` / ``:shared_log`` / ``:output_log``
lists, ``job:<id>:pending`` hash seq -> activation, ``job:<id>:checkpoints`` hash
seq -> kept checkpoint (with the ``job:<id>:checkpoint_seq`` counter), ``status:<status>`` and
``flow:<flow_id>`` sets of job ids, ``jobs`` sorted set by update time. Each
save is one MULTI/EXEC transaction writing only what changed since this store's
last save of the job. Crash recovery is at-least-once (see routilux's store guide).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import redis

import routilux
from routilux import (
    JobNotFoundError,
    JobState,
    JobStatus,
    JobSummary,
    SerializationError,
    StoreError,
)
from routilux.checkpoint import CheckpointTracker, assemble_job_state
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of

__version__ = "0.1.0"

PREFIX = "routilux"
PARTS = ("history", "shared_log", "output_log")
STATUSES = [s.value for s in JobStatus]


def _key(*parts: str) -> str:
    return ":".join((PREFIX, *parts))


class RedisJobStore:
    """Jobs in Redis; redis-py's client is thread-safe (a connection pool)."""

    incremental = True

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self._redis = redis.Redis.from_url(url, decode_responses=True)
            self._redis.ping()
        except (redis.RedisError, ValueError) as exc:
            raise StoreError(f"cannot connect to {url}: {exc}") from None
        self._tracker = CheckpointTracker()
        #: What the saves wrote (see CheckpointTracker).
        self.stats = self._tracker.stats

    def save(self, job_state: JobState) -> None:
        job_id = job_state.job_id
        delta, new_mark = self._tracker.delta(job_state)
        job_key = _key("job", job_id)
        updated = datetime.fromisoformat(delta.updated_at).timestamp()
        pipe = self._redis.pipeline(transaction=True)
        if delta.full:
            pipe.delete(*(f"{job_key}:{part}" for part in (*PARTS, "pending")))
        pipe.hset(
            job_key,
            mapping={
                "flow_id": delta.flow_id,
                "status": delta.status,
                "created_at": delta.created_at,
                "updated_at": delta.updated_at,
                "document": json.dumps(delta.document),
            },
        )
        for part, rows, start in (
            ("history", delta.history, delta.history_start),
            ("shared_log", delta.shared_log, delta.shared_log_start),
            ("output_log", delta.output_log, delta.output_log_start),
        ):
            if rows:
                pipe.ltrim(f"{job_key}:{part}", 0, start - 1)  # no-op unless a save was lost
                pipe.rpush(f"{job_key}:{part}", *(json.dumps(row) for row in rows))
        if delta.pending_upserts:
            pipe.hset(
                f"{job_key}:pending",
                mapping={str(t["seq"]): json.dumps(t) for t in delta.pending_upserts},
            )
        if delta.pending_deletes:
            pipe.hdel(f"{job_key}:pending", *(str(seq) for seq in delta.pending_deletes))
        for status in STATUSES:
            if status != delta.status:
                pipe.srem(_key("status", status), job_id)
        pipe.sadd(_key("status", delta.status), job_id)
        pipe.sadd(_key("flow", delta.flow_id), job_id)
        pipe.zadd(_key("jobs"), {job_id: updated})
        try:
            pipe.execute()
        except redis.RedisError as exc:
            raise StoreError(f"cannot save job {job_id} to {self.url}: {exc}") from None
        self._tracker.saved(delta, new_mark)

    def load(self, job_id: str) -> JobState:
        job_key = _key("job", job_id)
        pipe = self._redis.pipeline(transaction=True)  # one consistent snapshot
        pipe.hget(job_key, "document")
        for part in PARTS:
            pipe.lrange(f"{job_key}:{part}", 0, -1)
        pipe.hgetall(f"{job_key}:pending")
        try:
            document, history, shared, outputs, pending = pipe.execute()
        except redis.RedisError as exc:
            raise StoreError(f"cannot load job {job_id} from {self.url}: {exc}") from None
        if document is None:
            raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
        try:
            return assemble_job_state(
                json.loads(document),
                [json.loads(r) for r in history],
                [json.loads(r) for r in shared],
                [json.loads(r) for r in outputs],
                [json.loads(t) for _, t in sorted(pending.items(), key=lambda kv: int(kv[0]))],
            )
        except (ValueError, TypeError) as exc:
            raise SerializationError(f"job {job_id!r} in {self.url} is corrupt: {exc}") from None

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        try:
            ids = self._redis.zrevrange(_key("jobs"), 0, -1)
            wanted = None
            if flow_id is not None or status is not None:
                sets = []
                if flow_id is not None:
                    sets.append(_key("flow", flow_id))
                if status is not None:
                    sets.append(_key("status", status))
                wanted = set(self._redis.sinter(sets))
            summaries = []
            for job_id in ids:
                if wanted is not None and job_id not in wanted:
                    continue
                fields = self._redis.hmget(
                    _key("job", job_id), "flow_id", "status", "created_at", "updated_at"
                )
                if fields[0] is None:
                    continue  # deleted meanwhile
                summaries.append(
                    JobSummary(
                        job_id,
                        fields[0],
                        fields[1],
                        datetime.fromisoformat(fields[2]),
                        datetime.fromisoformat(fields[3]),
                    )
                )
                if limit is not None and len(summaries) >= limit:
                    break
        except redis.RedisError as exc:
            raise StoreError(f"cannot list jobs in {self.url}: {exc}") from None
        return summaries

    def delete(self, job_id: str) -> None:
        job_key = _key("job", job_id)
        try:
            flow_id = self._redis.hget(job_key, "flow_id")
            if flow_id is None:
                raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
            pipe = self._redis.pipeline(transaction=True)
            pipe.delete(
                job_key,
                *(
                    f"{job_key}:{part}"
                    for part in (*PARTS, "pending", "checkpoints", "checkpoint_seq")
                ),
            )
            for status in STATUSES:
                pipe.srem(_key("status", status), job_id)
            pipe.srem(_key("flow", flow_id), job_id)
            pipe.zrem(_key("jobs"), job_id)
            pipe.execute()
        except redis.RedisError as exc:
            raise StoreError(f"cannot delete job {job_id} from {self.url}: {exc}") from None
        self._tracker.forget(job_id)

    # ------------------------------------------------------ checkpoint history

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        job_key = _key("job", job_state.job_id)
        try:
            seq = int(self._redis.incr(f"{job_key}:checkpoint_seq"))
            info, data = snapshot_of(job_state, seq)
            old = [k for k in self._redis.hkeys(f"{job_key}:checkpoints") if int(k) <= seq - keep]
            pipe = self._redis.pipeline(transaction=True)
            pipe.hset(
                f"{job_key}:checkpoints",
                str(seq),
                json.dumps({"info": info.to_dict(), "job": data}),
            )
            if old:
                pipe.hdel(f"{job_key}:checkpoints", *old)
            pipe.execute()
        except redis.RedisError as exc:
            raise StoreError(
                f"cannot keep a checkpoint of job {job_state.job_id} in {self.url}: {exc}"
            ) from None
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        job_key = _key("job", job_id)
        try:
            kept = self._redis.hgetall(f"{job_key}:checkpoints")
            if not kept and not self._redis.exists(job_key):
                raise JobNotFoundError(f"no job {job_id!r} in {self.url}")
        except redis.RedisError as exc:
            raise StoreError(f"cannot read the history of job {job_id}: {exc}") from None
        return [
            CheckpointInfo.from_dict(json.loads(kept[k])["info"]) for k in sorted(kept, key=int)
        ]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        try:
            text = self._redis.hget(_key("job", job_id, "checkpoints"), str(int(seq)))
        except redis.RedisError as exc:
            raise StoreError(f"cannot load checkpoint {seq} of job {job_id}: {exc}") from None
        if text is None:
            raise missing_checkpoint(self, job_id, seq, [c.seq for c in self.history(job_id)])
        return JobState.from_dict(json.loads(text)["job"])

    def close(self) -> None:
        self._tracker.forget()
        self._redis.close()

    def __enter__(self) -> RedisJobStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"redis": RedisJobStore}
