"""The ``asyncio`` executor: ``async def`` handlers awaited on one event loop.

Every activation of an ``async def`` handler is a task on the executor's loop
(one thread), so thousands of handlers waiting on I/O run at once at the cost
of a task each. Plain ``def`` handlers of the same flow run on a pool of
`max_workers` threads, so they never block the loop. A handler's timeout, and
`Flow.cancel` of its job, cancel its task: CancelledError is raised into the
handler at the ``await`` where it waits.

The loop is the executor's own, not the caller's: a flow may be run from any
thread or loop (``await flow.arun(...)`` waits without blocking the caller's
loop). Objects bound to one loop (an ``aiohttp.ClientSession``) must therefore
be created inside the handlers, not passed in from the caller's loop.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import routilux
from routilux.executor import ActivationWork, WorkSource

log = logging.getLogger(__name__)
_numbers = itertools.count()


class AsyncioExecutor:
    """Awaits ``async def`` handlers on one event loop; runs plain ones on threads.

    `max_workers` is the size of the thread pool for plain handlers;
    ``executor_options={"max_concurrency": n}`` bounds how many activations run at
    once (default: no bound).
    """

    runs_inline = False
    runs_async_handlers = True

    def __init__(
        self, max_workers: int = 5, max_concurrency: int | None = None, **options: Any
    ) -> None:
        if options:
            raise routilux.FlowError(
                f"executor 'asyncio' takes only the option 'max_concurrency', not "
                f"{sorted(options)}; remove them from executor_options"
            )
        if max_concurrency is not None and (
            not isinstance(max_concurrency, int) or max_concurrency < 1
        ):
            raise routilux.FlowError(
                f"executor 'asyncio': max_concurrency must be a positive int, not "
                f"{max_concurrency!r}"
            )
        self.capacity: int | None = max_concurrency
        self.max_workers = max_workers
        self._name = f"routilux-asyncio-{next(_numbers)}"
        # made by start(): an executor that is built but never started holds nothing
        self._pool: ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: threading.Thread | None = None
        self._dispatcher: threading.Thread | None = None
        # works handed from the dispatcher thread to the loop (guarded by _lock)
        self._lock = threading.Lock()
        self._inbox: deque[ActivationWork] = deque()
        self._wakeup_pending = False
        # touched only on the loop's thread
        self._tasks: dict[str, set[asyncio.Task[None]]] = {}

    # ------------------------------------------------------------ lifecycle

    def start(self, source: WorkSource) -> None:
        self._pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix=f"{self._name}-sync")
        self._loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(
            target=self._run_loop, args=(self._loop,), name=self._name, daemon=True
        )
        self._loop_thread.start()
        self._dispatcher = threading.Thread(
            target=self._dispatch, args=(source,), name=f"{self._name}-dispatcher", daemon=True
        )
        self._dispatcher.start()

    @staticmethod
    def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            loop.close()

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; with `wait`, return once running handlers have finished."""
        current = threading.current_thread()
        dispatcher = self._dispatcher
        if wait and dispatcher is not None and dispatcher is not current:
            dispatcher.join()
        thread = self._loop_thread
        if wait and thread is not None and thread is not current:
            thread.join()
        if wait and self._pool is not None:
            self._pool.shutdown(wait=True)

    # ----------------------------------------------------------- dispatching

    def _dispatch(self, source: WorkSource) -> None:
        """Pull activations (blocking) and hand them to the loop in batches."""
        loop, pool = self._loop, self._pool
        assert loop is not None and pool is not None
        while True:
            work = source.next_work()
            if work is None:
                break
            if not work.is_async:  # straight to the pool: no hop through the loop
                pool.submit(self._run_sync, work)
                continue
            with self._lock:
                self._inbox.append(work)
                wake = not self._wakeup_pending
                self._wakeup_pending = True
            if wake:
                loop.call_soon_threadsafe(self._drain)
        loop.call_soon_threadsafe(self._drain)
        asyncio.run_coroutine_threadsafe(self._finish_all(), loop)

    def _drain(self) -> None:
        """Start every work handed over so far (on the loop)."""
        with self._lock:
            works = list(self._inbox)
            self._inbox.clear()
            self._wakeup_pending = False
        loop = self._loop
        assert loop is not None
        all_tasks = self._tasks
        for work in works:
            task = loop.create_task(work.run_async())
            job_id = work.job_id
            tasks = all_tasks.get(job_id)
            if tasks is None:
                tasks = all_tasks[job_id] = set()
            tasks.add(task)
            task.add_done_callback(partial(self._done, job_id, work))

    def _done(self, job_id: str, work: ActivationWork, task: asyncio.Task[None]) -> None:
        tasks = self._tasks.get(job_id)
        if tasks is not None:
            tasks.discard(task)
            if not tasks:
                del self._tasks[job_id]
        if task.cancelled():  # cancelled before its first step: the handler never ran
            work.lost(routilux.HandlerCancelledError(f"job {job_id} was cancelled"))
        elif task.exception() is not None:
            # a bug must not go unseen (the activation has reported its own errors)
            log.error(
                "routilux asyncio executor: unexpected error in %s",
                work.routine_id,
                exc_info=task.exception(),
            )

    @staticmethod
    def _run_sync(work: ActivationWork) -> None:
        try:
            work.run_here()
        except Exception:
            log.exception("routilux asyncio executor: unexpected error in %s", work.routine_id)

    async def _finish_all(self) -> None:
        """After the last work: let running handlers finish, then stop the loop."""
        while self._tasks:
            running = [task for tasks in self._tasks.values() for task in tasks]
            await asyncio.gather(*running, return_exceptions=True)
        asyncio.get_running_loop().stop()

    # ------------------------------------------------------------ cancelling

    def cancel(self, job_id: str) -> None:
        """Cancel the running async handlers of `job_id` (CancelledError is raised into
        them). Plain handlers on the thread pool are not interrupted."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.current_thread() is self._loop_thread:
            self._cancel(job_id)
        else:
            try:
                loop.call_soon_threadsafe(self._cancel, job_id)
            except RuntimeError:  # closed meanwhile
                pass

    def _cancel(self, job_id: str) -> None:
        for task in tuple(self._tasks.get(job_id, ())):
            task.cancel()


@routilux.hookimpl
def routilux_executors() -> dict[str, Any]:
    return {"asyncio": AsyncioExecutor}
