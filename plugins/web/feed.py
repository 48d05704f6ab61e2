"""Changes to jobs, for the server-sent events of `routilux serve`.

Two sources: the lifecycle observers of the jobs this process runs (`mark`,
called from worker threads, seen within one flush interval), and, while anyone
listens, a poll of the store's most recently updated jobs, which is how jobs
run by other processes on the same store show up (within about half a second).
Each subscriber gets an asyncio queue of ``{"job_id", "flow_id", "status",
"updated_at"}`` messages; a slow subscriber's oldest messages are dropped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from routilux import JobState, hookimpl

log = logging.getLogger("routilux.serve")

FLUSH_S = 0.2
POLL_S = 0.5
POLL_JOBS = 200
QUEUE_SIZE = 1000


class ChangeFeed:
    """Job changes fanned out to subscribers (one asyncio loop)."""

    def __init__(
        self,
        describe: Callable[[str], dict[str, Any] | None],
        poll: Callable[[], list[dict[str, Any]]],
    ) -> None:
        self._describe = describe  # job id -> message, or None if the job is gone
        self._poll = poll  # the store's recent jobs as messages
        self._lock = threading.Lock()
        self._dirty: set[str] = set()
        self._subscribers: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self._seen: dict[str, tuple[str, str]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def mark(self, job_id: str) -> None:
        """Note that a job changed (any thread)."""
        with self._lock:
            self._dirty.add(job_id)

    def publish(self, message: dict[str, Any]) -> None:
        self._seen[message["job_id"]] = (message["status"], message["updated_at"])
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        """The messages from now on, until `close`."""
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            while True:
                message = await queue.get()
                if message is None:
                    return
                yield message
        finally:
            self._subscribers.discard(queue)

    def close(self) -> None:
        """End every subscription (any thread; the server calls it when it stops, so
        that open event streams do not hold the shutdown)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._end_subscriptions)

    def _end_subscriptions(self) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)

    async def run(self) -> None:
        """Flush marks and poll the store until cancelled."""
        loop = self._loop = asyncio.get_running_loop()
        since_poll = POLL_S
        while True:
            await asyncio.sleep(FLUSH_S)
            since_poll += FLUSH_S
            with self._lock:
                dirty, self._dirty = self._dirty, set()
            try:
                for job_id in sorted(dirty):
                    message = await loop.run_in_executor(None, self._describe, job_id)
                    if message is not None:
                        self.publish(message)
                if self._subscribers and since_poll >= POLL_S:
                    since_poll = 0.0
                    for message in await loop.run_in_executor(None, self._poll):
                        seen = self._seen.get(message["job_id"])
                        if seen != (message["status"], message["updated_at"]):
                            self.publish(message)
            except Exception:
                log.exception("routilux serve: could not read job changes")


class FeedObserver:
    """Marks the jobs of this process as changed (an observer plugin)."""

    def __init__(self, feed: ChangeFeed) -> None:
        self.feed = feed

    @hookimpl
    def routilux_job_started(self, job_state: JobState) -> None:
        self.feed.mark(job_state.job_id)

    @hookimpl
    def routilux_routine_finished(self, job_state: JobState) -> None:
        self.feed.mark(job_state.job_id)

    @hookimpl
    def routilux_job_finished(self, job_state: JobState) -> None:
        self.feed.mark(job_state.job_id)
