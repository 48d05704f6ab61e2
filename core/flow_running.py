"""FlowRunning: a Flow's scheduler and executor, made on first use and shut down.

A Flow runs all its jobs on one `Scheduler` over one executor (created on the
first run, from the flow's ``execution_strategy`` and ``max_workers``). This base
class of `Flow` owns that life cycle: `get_scheduler` makes it and lets the
executor check the flow, `set_execution_strategy` swaps it (running jobs finish
on the old one), `shutdown` and ``with Flow(...)`` stop it, and a finalizer
stops the workers of a flow dropped without `shutdown`. It is its own module
because it is the one part of Flow holding threads and executor resources; the
rest of Flow (`routilux.flow`) starts, pauses and stores jobs on top of it.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .flow_data import check_strategy
from .flow_graph import FlowGraph
from .flow_options import check_max_workers
from .slot import Slot

if TYPE_CHECKING:
    from .executor import Executor
    from .flow import Flow
    from .job_run import JobRun
    from .scheduler import Scheduler
    from .store import JobStore

_F = TypeVar("_F", bound="FlowRunning")


class FlowRunning(FlowGraph):
    """The scheduler life cycle of a `Flow` (see the module docstring)."""

    # Set by Flow.__init__; named here for type checkers.
    if TYPE_CHECKING:
        flow_id: str
        execution_strategy: str
        executor_options: dict[str, Any]
        _max_workers: int
        _scheduler: Scheduler | None
        _scheduler_lock: threading.Lock
        _finalizer: weakref.finalize | None
        _store: JobStore | None
        _owns_store: bool

        @property
        def max_workers(self) -> int: ...

    def __enter__(self: _F) -> _F:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Leaving ``with Flow(...) as flow:`` waits for running jobs, then shuts down."""
        self.shutdown(wait=True)

    def set_execution_strategy(self, strategy: str, max_workers: int | None = None) -> None:
        """Change the executor of the jobs started from now on.

        Running jobs finish on the old executor first (this waits for them), as in
        routilux 0.10; paused jobs resume on the new one. As in 0.10, `max_workers`
        becomes 1 for ``sequential``, else the given number or 5.
        """
        check_strategy(strategy)
        if any(slot.is_async for r in self._routines.values() for slot in r.slots.values()):
            from .aio import check_async_handlers, executor_awaits

            check_async_handlers(cast("Flow", self), awaits=executor_awaits(strategy))
        workers = 1 if strategy == "sequential" else 5 if max_workers is None else max_workers
        check_max_workers(workers, self.flow_id)
        with self._scheduler_lock:
            old, self._scheduler = self._scheduler, None
            if self._finalizer is not None:
                self._finalizer.detach()
                self._finalizer = None
            self.execution_strategy = strategy
            self._max_workers = workers
        if old is not None:
            old.wait_idle(None)
            old.close(wait=True)

    def live_run(self, job_id: str) -> JobRun | None:
        """The run of job `job_id` this flow's scheduler is driving now, if any (not one
        that has ended)."""
        scheduler = self._scheduler
        return None if scheduler is None else scheduler.live(job_id)

    def live_job_ids(self) -> list[str]:
        """The ids of the jobs this flow runs now, in this process."""
        scheduler = self._scheduler
        return [] if scheduler is None else scheduler.live_job_ids()

    def get_scheduler(self) -> Scheduler:
        """The flow's scheduler, made on first use; its executor has checked the flow."""
        scheduler = self._scheduler
        if scheduler is not None:
            if Slot.any_async:
                self._check_async(bool(getattr(scheduler.executor, "runs_async_handlers", False)))
            check = getattr(scheduler.executor, "check_flow", None)
            if check is not None:
                check(self)
            return scheduler
        with self._scheduler_lock:
            if self._scheduler is None:
                from .registry import get_executor
                from .scheduler import Scheduler

                factory = get_executor(self.execution_strategy)
                awaits = bool(getattr(factory, "runs_async_handlers", False))
                self._check_async(awaits)
                executor: Executor = factory(max_workers=self.max_workers, **self.executor_options)
                check = getattr(executor, "check_flow", None)
                if check is not None:
                    check(self)
                self._scheduler = Scheduler(cast("Flow", self), executor)
                # a flow dropped without shutdown() still stops its workers
                self._finalizer = weakref.finalize(self, _stop_workers, self._scheduler)
                self._finalizer.atexit = False
            return self._scheduler

    def _check_async(self, awaits: bool) -> None:
        if not awaits and Slot.any_async:
            for routine in self._routines.values():
                for slot in routine.slots.values():
                    if slot.is_async:
                        from .aio import check_async_handlers

                        check_async_handlers(cast("Flow", self), awaits=False)

    def shutdown(self, wait: bool = True, timeout: float | None = None) -> None:
        """Stop the flow's workers (after running jobs end, if `wait`) and close the
        store the flow opened from a URL."""
        scheduler = self._scheduler
        if scheduler is not None:
            if wait:
                scheduler.wait_idle(timeout)
            scheduler.close(wait=wait)
            with self._scheduler_lock:
                self._scheduler = None
                if self._finalizer is not None:
                    self._finalizer.detach()
                    self._finalizer = None
        if self._owns_store and self._store is not None:
            self._store.close()  # connections reopen if the flow runs jobs again


def _stop_workers(scheduler: Scheduler) -> None:
    """Finalizer of a Flow: close its scheduler so that its idle workers exit."""
    scheduler.close(wait=False)


__all__ = ["FlowRunning"]
