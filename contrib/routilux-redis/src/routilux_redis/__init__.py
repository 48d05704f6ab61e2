"""``redis://``: routilux jobs in Redis (redis-py).

Keys (prefix ``routilux``): ``job:<id>`` hash (flow_id, status, created_at,
updated_at, document), ``job:<id>:history`` / ``:shared_log`` / ``:output_log``
lists, ``job:<id>:pending`` hash seq -> activation, ``job:<id>:checkpoints`` hash
seq -> kept checkpoint (with the ``job:<id>:checkpoint_seq`` counter), ``status:<status>`` and
``flow:<flow_id>`` sets of job ids, ``jobs`` sorted set by update time. Each
save is one MULTI/EXEC transaction writing only what changed since this store's
last save of the job. Crash recovery is at-least-once (see routilux's store guide).

Ordered checkpoints and claims (see `routilux.store_base`): the ``seq`` field of
``job:<id>`` holds the stored checkpoint's sequence, ``job:<id>:claim`` the
owner, expiring with the lease (server-side TTL). A save WATCHes both keys, so
it fails and retries if a claim or another save of the job came in between;
claims, renewals and releases are small Lua scripts (atomic). URL query
parameters are redis-py's, plus ``lease``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

import redis
import redis.connection

import routilux
from routilux import JobState, JobStatus, JobSummary
from routilux.checkpoint import JobDelta, assemble_job_state
from routilux.history import CheckpointInfo, missing_checkpoint, snapshot_of
from routilux.store_base import JobStoreBase, utc

__version__ = "0.1.0"

PREFIX = "routilux"
PARTS = ("history", "shared_log", "output_log")
STATUSES = [s.value for s in JobStatus]

_CLAIM = """
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return {ARGV[1], tonumber(ARGV[2])}
end
return {holder, redis.call('PTTL', KEYS[1])}
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


def _key(*parts: str) -> str:
    return ":".join((PREFIX, *parts))


class RedisJobStore(JobStoreBase):
    """Jobs in Redis; redis-py's client is thread-safe (a connection pool)."""

    incremental = True
    backend_errors = (redis.RedisError,)

    @classmethod
    def accepted_params(cls) -> tuple[str, ...]:
        return tuple(redis.connection.URL_QUERY_ARGUMENT_PARSERS)

    def _open(self) -> None:
        self._redis = redis.Redis.from_url(self.backend_url, decode_responses=True)
        self._redis.ping()
        self._claim_script = self._redis.register_script(_CLAIM)
        self._renew_script = self._redis.register_script(_RENEW)
        self._release_script = self._redis.register_script(_RELEASE)

    def _save_delta(self, delta: JobDelta, now: float) -> bool:
        job_id = delta.job_id
        job_key = _key("job", job_id)
        claim_key = f"{job_key}:claim"
        updated = datetime.fromisoformat(delta.updated_at).timestamp()
        with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(job_key, claim_key)
                    holder = cast("str | None", pipe.get(claim_key))  # decode_responses=True
                    if holder is not None and holder != self.owner:
                        ttl = pipe.pttl(claim_key)
                        raise self.claimed_error(job_id, holder, now + max(ttl, 0) / 1000, now)
                    stored = pipe.hget(job_key, "seq")
                    if stored is not None and int(stored) >= delta.seq:
                        pipe.unwatch()
                        return False
                    pipe.multi()
                    self._queue_delta(pipe, delta, job_key, updated)
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue  # a claim or another save of the job came in between: again

    @staticmethod
    def _queue_delta(pipe: Any, delta: JobDelta, job_key: str, updated: float) -> None:
        job_id = delta.job_id
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
                "seq": delta.seq,
            },
        )
        for part, rows, start, first in (
            ("history", delta.history, delta.history_start, delta.history_first),
            ("shared_log", delta.shared_log, delta.shared_log_start, delta.shared_log_first),
            ("output_log", delta.output_log, delta.output_log_start, delta.output_log_first),
        ):
            if rows:
                if not first:  # positions are indexes: drop what a lost save left
                    pipe.ltrim(f"{job_key}:{part}", 0, start - 1)
                pipe.rpush(f"{job_key}:{part}", *(json.dumps(row) for row in rows))
                if first:  # keep the last entries, as many as the job keeps
                    pipe.ltrim(f"{job_key}:{part}", first - (start + len(rows)), -1)
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

    def _load(self, job_id: str) -> JobState:
        job_key = _key("job", job_id)
        pipe = self._redis.pipeline(transaction=True)  # one consistent snapshot
        pipe.hget(job_key, "document")
        for part in PARTS:
            pipe.lrange(f"{job_key}:{part}", 0, -1)
        pipe.hgetall(f"{job_key}:pending")
        document, history, shared, outputs, pending = pipe.execute()
        if document is None:
            raise self.not_found(job_id)
        return assemble_job_state(
            json.loads(document),
            [json.loads(r) for r in history],
            [json.loads(r) for r in shared],
            [json.loads(r) for r in outputs],
            [json.loads(t) for _, t in sorted(pending.items(), key=lambda kv: int(kv[0]))],
        )

    def _list(self, flow_id: str | None, status: str | None, limit: int | None) -> list[JobSummary]:
        ids = cast("list[str]", self._redis.zrevrange(_key("jobs"), 0, -1))  # decoded replies
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
            job_key = _key("job", job_id)
            pipe = self._redis.pipeline(transaction=True)
            pipe.hmget(job_key, "flow_id", "status", "created_at", "updated_at")
            pipe.get(f"{job_key}:claim")
            pipe.pttl(f"{job_key}:claim")
            fields, owner, ttl = pipe.execute()  # str replies: decode_responses=True
            if fields[0] is None:
                continue  # deleted meanwhile
            summaries.append(
                JobSummary(
                    job_id,
                    fields[0],
                    fields[1],
                    datetime.fromisoformat(fields[2]),
                    datetime.fromisoformat(fields[3]),
                    owner=owner,
                    lease_until=None if owner is None else utc(time.time() + max(ttl, 0) / 1000),
                )
            )
            if limit is not None and len(summaries) >= limit:
                break
        return summaries

    def _delete(self, job_id: str) -> bool:
        job_key = _key("job", job_id)
        flow_id = cast("str | None", self._redis.hget(job_key, "flow_id"))
        if flow_id is None:
            return False
        pipe = self._redis.pipeline(transaction=True)
        pipe.delete(
            job_key,
            *(
                f"{job_key}:{part}"
                for part in (*PARTS, "pending", "claim", "checkpoints", "checkpoint_seq")
            ),
        )
        for status in STATUSES:
            pipe.srem(_key("status", status), job_id)
        pipe.srem(_key("flow", flow_id), job_id)
        pipe.zrem(_key("jobs"), job_id)
        pipe.execute()
        return True

    def _claim(self, job_id: str, owner: str, now: float, until: float) -> tuple[str, float]:
        lease_ms = max(int((until - now) * 1000), 1)
        holder, ttl = self._claim_script(
            keys=[_key("job", job_id, "claim")], args=[owner, lease_ms]
        )
        return holder, now + max(int(ttl), 0) / 1000

    def _renew(self, job_ids: Iterable[str], owner: str, now: float, until: float) -> list[str]:
        lease_ms = max(int((until - now) * 1000), 1)
        return [
            job_id
            for job_id in job_ids
            if self._renew_script(keys=[_key("job", job_id, "claim")], args=[owner, lease_ms])
        ]

    def _release(self, job_id: str, owner: str) -> None:
        self._release_script(keys=[_key("job", job_id, "claim")], args=[owner])

    # ------------------------------------------------------ checkpoint history

    def save_checkpoint(self, job_state: JobState, keep: int) -> int:
        """Keep the job's current state as its next checkpoint; drop all but `keep`."""
        job_key = _key("job", job_state.job_id)
        with self._mapped(f"keep a checkpoint of job {job_state.job_id}"):
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
        return seq

    def history(self, job_id: str) -> list[CheckpointInfo]:
        """The job's kept checkpoints, oldest first."""
        job_key = _key("job", job_id)
        with self._mapped(f"read the history of job {job_id}"):
            kept = self._redis.hgetall(f"{job_key}:checkpoints")
            if not kept and not self._redis.exists(job_key):
                raise self.not_found(job_id)
            return [
                CheckpointInfo.from_dict(json.loads(kept[k])["info"]) for k in sorted(kept, key=int)
            ]

    def load_checkpoint(self, job_id: str, seq: int) -> JobState:
        """The job as it was at checkpoint `seq`."""
        with self._mapped(f"load checkpoint {seq} of job {job_id}"):
            text = self._redis.hget(_key("job", job_id, "checkpoints"), str(int(seq)))
            if text is None:
                raise missing_checkpoint(self, job_id, seq, [c.seq for c in self.history(job_id)])
            return JobState.from_dict(json.loads(text)["job"])

    def _close(self) -> None:
        self._redis.close()


@routilux.hookimpl
def routilux_storage_backends() -> dict[str, Any]:
    return {"redis": RedisJobStore}
