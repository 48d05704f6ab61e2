"""``async def`` handlers and async entry points.

An ``async def`` slot handler returns a coroutine; only an executor that awaits
coroutines (one whose factory has ``runs_async_handlers = True``, such as the
built-in ``asyncio``) can run it. Any other executor would silently drop the
body, so such a flow is refused (`AsyncHandlerError`) by `Flow.add_routine`, by
a spec and before a job starts.

`run_activation` is what `LocalWork.run_async` awaits on the executor's loop:
the handler's coroutine runs in the calling task, with the job's scope in the
task's own context (so ``emit``, ``send_output``, ``emit_deferred_event`` and
``get_execution_context`` work), its timeout enforced by cancelling the task.
`wait_stopped` and `run_flow` back `JobState.wait_async` and `Flow.arun`:
they never block the caller's event loop.

This module imports asyncio; the core imports it only when it is needed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .context import current_scope
from .errors import AsyncHandlerError, HandlerCancelledError, HandlerTimeoutError, PluginError
from .routine import _current_job_state

if TYPE_CHECKING:
    from .activation import LocalWork
    from .flow import Flow
    from .job_state import JobState
    from .routine import Routine


# ------------------------------------------------------------------- checking


def executor_awaits(strategy: str) -> bool | None:
    """Whether the executor registered as `strategy` awaits async handlers (None if
    no such executor is installed: the error about that comes when a job starts)."""
    from .registry import get_executor

    try:
        factory = get_executor(strategy)
    except PluginError:
        return None
    return bool(getattr(factory, "runs_async_handlers", False))


def check_async_handlers(
    flow: Flow, routines: Mapping[str, Routine] | None = None, awaits: bool | None = None
) -> None:
    """Raise `AsyncHandlerError` if an ``async def`` handler of `routines` (default:
    every routine of `flow`) cannot be awaited by the flow's executor."""
    routines = flow.routines if routines is None else routines
    found = [
        (routine_id, slot.name)
        for routine_id, routine in routines.items()
        for slot in routine.slots.values()
        if slot.is_async
    ]
    if not found:
        return
    if awaits is None:
        awaits = executor_awaits(flow.execution_strategy)
    if awaits is not False:
        return
    routine_id, slot_name = found[0]
    raise AsyncHandlerError(
        f"slot {routine_id}.{slot_name} has an async def handler, which executor "
        f"{flow.execution_strategy!r} of flow {flow.flow_id!r} cannot await (it would never "
        "run); use Flow(execution_strategy='asyncio'), or make the handler a plain def"
    )


def returned_coroutine(work: LocalWork, result: Any) -> AsyncHandlerError:
    """The error for a sync handler that returned an awaitable (closed, never run)."""
    close = getattr(result, "close", None)
    if close is not None:
        close()  # no "coroutine was never awaited" warning: the error says it
    what = "is async def" if work.is_async else "returned an awaitable"
    return AsyncHandlerError(
        f"handler of {work.routine_id}.{work.slot_name} {what}, which executor "
        f"{work.flow.execution_strategy!r} cannot await (it was not run); use "
        "Flow(execution_strategy='asyncio') and declare the handler async def"
    )


# ------------------------------------------------------------------ running


async def run_activation(work: LocalWork) -> None:
    """Await `work`'s async handler in the current task and apply its outcome.

    A timeout cancels the task (CancelledError is raised into the handler at its
    current await) and fails the activation with `HandlerTimeoutError`; the
    executor cancelling the task (``flow.cancel``) ends it the same way.
    """
    routine, slot = work.routine, work.slot
    if routine is None or slot is None or work.error is not None:
        work.finish(work.error)
        return
    run = work.run
    if run.observers is not None:
        activation = work.activation
        run.observers.routine_started(
            run.job_state, work.routine_id, slot.name, activation.seq, activation.attempt
        )
    if work.cancelled:  # its job was cancelled before the handler could start
        work.closed = "was cancelled"
        work.finish(HandlerCancelledError(f"job {run.job_state.job_id} was cancelled"))
        return
    timeout = work.timeout
    expired: list[bool] = []
    handle: asyncio.TimerHandle | None = None
    task = None if timeout is None else asyncio.current_task()
    if task is not None and timeout is not None:
        running = task

        def expire() -> None:
            expired.append(True)
            # refuse its effects from now on, should it swallow the CancelledError
            work.cancel(f"timed out after {timeout}s")
            running.cancel()

        handle = asyncio.get_running_loop().call_later(timeout, expire)
    scope_token = current_scope.set(work)
    job_token = _current_job_state.set(run.job_state)
    error: BaseException | None = None
    try:
        await slot.call(work.data)
    except asyncio.CancelledError:
        if not expired:
            work.closed = "was cancelled"
            error = HandlerCancelledError(
                f"handler of {work.routine_id}.{work.slot_name} was cancelled while running"
            )
    except BaseException as exc:  # SystemExit too: the handler's failure, the loop lives on
        error = exc
    finally:
        if handle is not None:
            handle.cancel()
        _current_job_state.reset(job_token)
        current_scope.reset(scope_token)
    if expired:
        uncancel = getattr(task, "uncancel", None)
        if uncancel is not None:  # Python 3.11+: the task goes on normally
            uncancel()
        error = HandlerTimeoutError(
            f"handler of {work.routine_id}.{work.slot_name} timed out after {timeout}s and "
            "was cancelled; raise the timeout (define_slot(timeout=...) or "
            "ErrorHandler(timeout=...)) or make the handler faster"
        )
    if work.closed is None:
        work.closed = "has finished"
    work.finish(error)


# ------------------------------------------------------------------ waiting


async def wait_stopped(job_state: JobState, timeout: float | None) -> bool:
    """Wait until `job_state` stops running without blocking the loop; False on timeout.

    Registers a callback on the job's condition (called under the job's lock on each
    status change) that wakes this task through ``call_soon_threadsafe``: no thread
    blocks and nothing polls.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[None] = loop.create_future()
    woken: list[bool] = []  # guarded by the job's lock

    def wake() -> None:
        if woken or not job_state.stopped_running:
            return
        woken.append(True)
        try:
            loop.call_soon_threadsafe(_resolve, future)
        except RuntimeError:  # the loop was closed meanwhile
            pass

    with job_state.lock:
        if job_state.stopped_running:
            return True
        condition = job_state.add_waiter(status_only=True)
        condition.callbacks.append(wake)
    try:
        await asyncio.wait_for(future, timeout)
        return True
    except asyncio.TimeoutError:
        return False
    finally:
        with job_state.lock:
            condition.callbacks.remove(wake)
            job_state.remove_waiter(status_only=True)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def run_flow(
    flow: Flow,
    entry_routine_id: str,
    entry_params: dict[str, Any] | None,
    timeout: float | None,
    job_state: JobState | None,
) -> JobState:
    """`Flow.arun`: start the job off the loop (execute may run the entry handler in
    the calling thread), then wait for it without blocking the loop."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[JobState] = loop.create_future()

    def start() -> None:
        try:
            result = flow.execute(entry_routine_id, entry_params, job_state=job_state)
        except BaseException as exc:
            loop.call_soon_threadsafe(_fail, done, exc)
        else:
            loop.call_soon_threadsafe(_succeed, done, result)

    threading.Thread(target=start, name="routilux-arun", daemon=True).start()
    started = await done
    await wait_stopped(started, timeout)
    return started


def _succeed(future: asyncio.Future[JobState], value: JobState) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future[JobState], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
