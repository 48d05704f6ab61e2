"""The executor interface: where slot handlers run.

The scheduler (one per Flow) owns every job's queue and decides *what* runs
next, fairly between jobs. An executor decides *where*: it pulls work from the
scheduler (`WorkSource.next_work`) and either runs it in one of its own threads
(`ActivationWork.run_here`) or ships a picklable `RemoteActivation` elsewhere and
hands the returned `RemoteOutcome` back (`ActivationWork.complete`). The built-in
``inline`` and ``threads`` executors and distributed ones (``dask`` in contrib)
implement this same interface; executors are plugins registered through the
``routilux_executors`` hook as factories ``factory(max_workers=..., **options)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from .remote import RemoteActivation, RemoteOutcome


class ActivationWork(Protocol):
    """One slot activation handed to an executor. Exactly one of `run_here` or
    `complete` must eventually be called, from any thread."""

    @property
    def job_id(self) -> str:
        """The job the activation belongs to."""

    @property
    def routine_id(self) -> str:
        """The routine whose handler runs."""

    @property
    def slot_name(self) -> str:
        """The slot that received the data."""

    @property
    def is_async(self) -> bool:
        """Whether the handler is ``async def``: it must be awaited (`run_async`)."""

    @property
    def timeout(self) -> float | None:
        """The handler's time limit in seconds (slot's, else error handler's), or None.

        `run_here` and `run_async` enforce it themselves; an executor that runs the
        handler elsewhere (`remote`) must enforce it, and report an expiry with
        ``lost(HandlerTimeoutError(...))``.
        """

    def run_here(self) -> None:
        """Run the handler in the calling thread and apply its effects."""

    def run_async(self) -> Coroutine[Any, Any, None]:
        """A coroutine that awaits an ``async def`` handler in the running loop's
        current task and applies its effects (run it as a task of its own:
        cancelling that task raises CancelledError into the handler and ends the
        activation)."""

    def remote(self) -> RemoteActivation:
        """A picklable description of the activation for a remote worker.

        Raises `RoutiluxError` if the routine cannot be shipped.
        """

    def complete(self, outcome: RemoteOutcome) -> None:
        """Apply the effects a remote worker recorded (or its error)."""

    def lost(self, error: BaseException) -> None:
        """The activation's worker died; treat `error` as the handler's error."""

    @property
    def cancelled(self) -> bool:
        """True once the activation was cancelled (or its job ended): an executor
        may stop a handler it runs, and must not apply its effects any more."""

    def cancel(self, reason: str) -> None:
        """Give up on the activation (e.g. ``"timed out after 2.0s"``): from now on
        its handler's writes and emits are refused, and the handler sees
        ``get_execution_context().cancelled``. The executor still reports the
        outcome (`run_here` returning, or `lost`/`complete`) as usual."""

    def on_cancel(self, callback: Callable[[str], object]) -> None:
        """Call ``callback(reason)`` once if the activation is cancelled before it
        finishes (by `cancel`, or because its job was cancelled); at once if it
        already is. An executor that can stop a handler (an asyncio task, a
        worker process) registers here."""


class WorkSource(Protocol):
    """What an executor pulls work from (the flow's scheduler)."""

    def next_work(self) -> ActivationWork | None:
        """Block until an activation may start; None once the source is closed."""

    def serve(self) -> None:
        """Run activations in this thread (`run_here`) until the source closes."""


@runtime_checkable
class Executor(Protocol):
    """Runs the activations of one Flow's jobs.

    An executor may also define ``check_flow(flow) -> None``: it is called when a
    job is about to start (``execute``, ``run``, ``resume``) and raises a
    `RoutiluxError` if the flow's routines cannot run on this executor (for a
    remote one: a routine that cannot be pickled, naming the attribute), so that
    nothing is sent.

    An executor that awaits ``async def`` handlers (`ActivationWork.run_async`)
    says so with a class attribute ``runs_async_handlers = True`` on its factory;
    with any other executor such handlers are refused before a job starts
    (`AsyncHandlerError`). An executor may also define ``cancel(job_id) -> None``:
    `Flow.cancel` calls it once the job has ended as cancelled, and it stops the
    job's running activations (cancel the task, terminate the process); they
    then report their end as usual.
    An executor may also set ``runs_entry_in_caller = True``: `Flow.execute` then
    runs a job's entry ``trigger`` handler in the caller's thread, as routilux 0.10
    did, so that its failure has been handled when execute returns. Executors that
    must run every handler themselves (other processes, an event loop) leave it
    unset.
    """

    #: True if the executor runs one activation at a time in the thread that
    #: asks for work; `Flow.run` then runs a job inline in the caller's thread.
    runs_inline: bool
    #: How many activations may be running at once (the scheduler never hands
    #: out more); None for no limit.
    capacity: int | None

    def start(self, source: WorkSource) -> None:
        """Begin pulling work from `source` (start threads, connect clients)."""

    def shutdown(self, wait: bool = True) -> None:
        """Stop pulling work; with `wait`, return after running handlers finish."""
