"""Flow: a workflow's definition and how its jobs run.

A Flow is a static definition (a `FlowGraph`: routines by id and the
connections between them, see `routilux.flow_graph`) plus run-time defaults (execution strategy,
max_workers, error handler, store). Every `execute` creates a new JobState;
the Flow keeps none of a job's state, only the scheduler that runs jobs on
its executor (created on the first run and shared by all jobs of the flow;
see `routilux.flow_running`).
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import job_control, jobs
from .claims import FlowClaims
from .errors import FlowError, RoutiluxError
from .execution_tracker import ExecutionTracker, LatestRun
from .flow_data import check_strategy
from .flow_options import (
    CHECKPOINT_MODES,
    DEFAULT_MAX_ACTIVATIONS,
    check_keep_checkpoints,
    check_max_activations,
    check_max_workers,
)
from .flow_running import FlowRunning
from .job_state import JobState
from .records import DEFAULT_HISTORY_LIMIT, history_limit_of, recorded_by_str

if TYPE_CHECKING:
    from .error_handling import ErrorHandler
    from .routine import Routine
    from .scheduler import Scheduler
    from .store import JobStore


@recorded_by_str
class Flow(FlowRunning):
    """A workflow: routines wired event -> slot, run as independent jobs.

    How it is built (`add_routine`, `connect`, ...) is `FlowGraph`'s part, its
    scheduler and executor (`get_scheduler`, `set_execution_strategy`, `shutdown`)
    `FlowRunning`'s; this class adds the run-time defaults and runs, pauses, resumes
    and stores jobs.

    `execution_strategy` names an executor plugin: ``"sequential"`` (alias of
    ``inline``: one activation at a time, in emission order, on the flow's
    worker thread), ``"concurrent"`` (alias of ``threads``: up to `max_workers`
    at once on a pool shared by the flow's jobs) or any registered executor
    such as ``"dask"``.

    With a `store` (a URL or a `JobStore`), `checkpoint` says when jobs are saved:
    ``"on_finish"`` (the default) before the first handler runs, on pause and at
    the end; ``"every_activation"`` also after each activation (a job then runs
    one activation at a time, so that no checkpoint holds half of one);
    ``"on_pause"`` only when a job pauses (and, once paused, when it resumes and
    ends). `keep_checkpoints` keeps each job's last N checkpoints as snapshots
    (``history``, ``fork``; 0 keeps none).

    `history` bounds what each job keeps of its history (and of its shared log and
    output log, as `history_limit`): the most recent `history` records (default 10,000), ``"full"`` for
    all, ``"off"`` for none. Memory and stores then stay bounded however long a job
    runs; `JobState.routine_counts` stays exact.

    `max_activations` bounds the activations one run of a job may start
    (default `DEFAULT_MAX_ACTIVATIONS`, one million; None for no limit): a cycle
    that never ends fails its job with a message naming the limit and the
    busiest routines, instead of running forever.

    `tolerate_downstream_errors` (True for flows built in Python, as in routilux
    0.10; False for flows built from specs): see `tolerate_downstream_errors`.
    """

    def __init__(
        self,
        flow_id: str | None = None,
        execution_strategy: str = "sequential",
        max_workers: int = 5,
        execution_timeout: float | None = None,
        *,
        error_handler: ErrorHandler | None = None,
        store: str | JobStore | None = None,
        checkpoint: str = "on_finish",
        executor_options: dict[str, Any] | None = None,
        history: int | str | None = DEFAULT_HISTORY_LIMIT,
        max_activations: int | None = DEFAULT_MAX_ACTIVATIONS,
        keep_checkpoints: int = 0,
        tolerate_downstream_errors: bool = True,
    ) -> None:
        super().__init__()
        if checkpoint not in CHECKPOINT_MODES:
            raise FlowError(f"checkpoint must be one of {CHECKPOINT_MODES}, not {checkpoint!r}")
        check_strategy(execution_strategy)
        self.flow_id: str = flow_id or str(uuid.uuid4())
        self.execution_strategy: str = execution_strategy
        check_max_workers(max_workers, self.flow_id)
        #: As in routilux 0.10, a sequential flow reports one worker.
        self._max_workers: int = 1 if execution_strategy == "sequential" else max_workers
        self.max_activations: int | None = check_max_activations(max_activations, self.flow_id)
        #: routilux 0.10's "default timeout for execution completion" (300 s when
        #: None). 0.10 never enforced it and neither does routilux: bound a wait with
        #: ``JobState.wait_for_completion(..., timeout=)`` and a handler with
        #: ``ErrorHandler(timeout=)`` or ``define_slot(timeout=)``.
        self.execution_timeout: float | None = (
            300.0 if execution_timeout is None else execution_timeout
        )
        from .error_handling import check_error_handler

        self.error_handler: ErrorHandler | None = check_error_handler(error_handler, "Flow()")
        #: routilux 0.10's rule for flows built in Python: a handler error of a routine
        #: other than the entry's ``trigger`` is recorded and tolerated unless that
        #: routine has its own error handler. Specs set it False: every failure goes
        #: to a strategy, STOP by default (see the errors guide).
        self.tolerate_downstream_errors: bool = bool(tolerate_downstream_errors)
        self.checkpoint: str = checkpoint
        try:
            #: Records each job keeps (None: all); see the class docstring.
            self.history_limit: int | None = history_limit_of(history, "history")
        except RoutiluxError as exc:
            raise FlowError(str(exc)) from None
        #: How many of each job's last checkpoints the store keeps (see `routilux.history`).
        self.keep_checkpoints: int = check_keep_checkpoints(keep_checkpoints)
        self.executor_options: dict[str, Any] = dict(executor_options or {})
        #: The routine a spec names as its entry (used by the CLI), if any.
        self.entry: str | None = None
        self._store: JobStore | None = None
        self._store_url: str | None = None
        self._owns_store = False
        if store is not None:
            self.set_store(store)
        self._scheduler: Scheduler | None = None
        self._scheduler_lock = threading.Lock()
        #: The jobs whose store claim this flow holds for its runs (`routilux.jobs`).
        self.held_claims = FlowClaims()
        self._tracker: ExecutionTracker | LatestRun | None = None
        self._finalizer: weakref.finalize | None = None

    def __repr__(self) -> str:
        return f"Flow[{self.flow_id}]"

    @property
    def execution_tracker(self) -> ExecutionTracker | None:
        """routilux 0.10's tracker of the latest `execute` (None before the first):
        see `routilux.execution_tracker.LatestRun`. Setting one keeps it until the
        next `execute`."""
        tracker = self._tracker
        return tracker.tracker() if isinstance(tracker, LatestRun) else tracker

    @execution_tracker.setter
    def execution_tracker(self, tracker: ExecutionTracker | None) -> None:
        self._tracker = tracker

    @property
    def max_workers(self) -> int:
        """How many activations the executor may run at once (a positive int)."""
        return self._max_workers

    @max_workers.setter
    def max_workers(self, value: int) -> None:
        self._max_workers = check_max_workers(value, self.flow_id)

    def set_error_handler(self, error_handler: ErrorHandler | None) -> None:
        """Handle errors of routines without their own handler with `error_handler`."""
        from .error_handling import check_error_handler

        self.error_handler = check_error_handler(error_handler, "Flow.set_error_handler()")

    def set_store(self, store: str | JobStore | None, checkpoint: str | None = None) -> None:
        """Checkpoint jobs into `store` (a URL or a JobStore); None stops saving."""
        if checkpoint is not None:
            if checkpoint not in CHECKPOINT_MODES:
                raise FlowError(f"checkpoint must be one of {CHECKPOINT_MODES}")
            self.checkpoint = checkpoint
        if self._owns_store and self._store is not None:
            self._store.close()
        if isinstance(store, str):
            from .store import open_store

            self._store_url = store
            self._store = open_store(store)
            self._owns_store = True  # opened from a URL: closed by shutdown()
        else:
            self._store_url = getattr(store, "url", None)
            self._store = store
            self._owns_store = False

    @property
    def store(self) -> JobStore | None:
        """The store jobs are checkpointed to, if any."""
        return self._store

    @property
    def store_url(self) -> str | None:
        """The URL of `store` (what messages name), if it has one."""
        return self._store_url

    # ------------------------------------------------------------- running

    def _check_routine(self, routine_id: str, routine: Routine) -> None:
        if any(slot.is_async for slot in routine.slots.values()):
            from .aio import check_async_handlers

            check_async_handlers(self, {routine_id: routine})

    def execute(
        self,
        entry_routine_id: str,
        entry_params: dict[str, Any] | None = None,
        execution_strategy: str | None = None,
        timeout: float | None = None,
        *,
        job_state: JobState | None = None,
    ) -> JobState:
        """Start a job: run `entry_routine_id`'s ``trigger`` handler in this thread.

        Returns when the trigger handler has returned; what it emitted runs on the
        flow's executor. (Executors that run every handler themselves, such as
        remote or asyncio ones, run the trigger too: see
        `Executor.runs_entry_in_caller`.) A failure of the entry handler has then already been
        handled by its error strategy (STOP: the job is ``failed``; CONTINUE or
        SKIP: ``completed`` unless other work is still running; RETRY: retried
        here first). Otherwise the job is ``running`` and its status becomes final
        the moment it ends. Pass a fresh `job_state` to set an output handler
        before anything runs.

        `execution_strategy` and `timeout` are routilux 0.10's per-run options:
        the strategy is checked (``InvalidExecutionStrategyError``) and the job runs
        on the flow's executor (0.10 ran both strategies on the same pool); the
        timeout, like 0.10's, bounds nothing (see `execution_timeout`).
        """
        if execution_strategy is not None:
            check_strategy(execution_strategy)
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, (int, float))
        ):
            raise FlowError(f"timeout must be a number of seconds or None, not {timeout!r}")
        scheduler = self.get_scheduler()
        executor = scheduler.executor
        routine = (
            self._routines.get(entry_routine_id) if isinstance(entry_routine_id, str) else None
        )
        trigger = routine.get_slot("trigger") if routine is not None else None
        inline_entry = (
            bool(getattr(executor, "runs_entry_in_caller", False))
            and not (trigger is not None and trigger.is_async)  # awaited on the executor's loop
            and not jobs.in_event_loop()  # a caller's event loop is never blocked
        )
        job_state, run = jobs.start_job(
            self,
            entry_routine_id,
            entry_params,
            job_state,
            False,
            inline_entry=inline_entry,
            scheduler=scheduler,
        )
        self._tracker = LatestRun(self, job_state, entry_routine_id)
        if trigger is not None and trigger.is_async:
            jobs.wait_for_async_entry(self, run)
        return job_state

    def run(
        self,
        entry_routine_id: str,
        entry_params: dict[str, Any] | None = None,
        timeout: float | None = None,
        *,
        job_state: JobState | None = None,
    ) -> JobState:
        """Run a job and wait until it stops (completed, failed, paused or cancelled).

        With the sequential strategy the job runs in the caller's thread. If
        `timeout` expires first, the job keeps running in the background and
        the JobState is returned with status ``running``.
        """
        scheduler = self.get_scheduler()
        inline = bool(getattr(scheduler.executor, "runs_inline", False))
        job_state, run = jobs.start_job(
            self, entry_routine_id, entry_params, job_state, inline, scheduler=scheduler
        )
        if inline:
            deadline = None if timeout is None else time.monotonic() + timeout
            scheduler.drive(run, deadline)
        else:
            JobState.wait_for_completion(self, job_state, timeout)
        return job_state

    async def arun(
        self,
        entry_routine_id: str,
        entry_params: dict[str, Any] | None = None,
        timeout: float | None = None,
        *,
        job_state: JobState | None = None,
    ) -> JobState:
        """``await flow.arun(...)``: `run` for async code (FastAPI, Jupyter). The job
        starts off the event loop and is awaited without blocking it; on `timeout`
        the job keeps running and the JobState is returned ``running``."""
        from .aio import run_flow

        return await run_flow(self, entry_routine_id, entry_params, timeout, job_state)

    def pause(
        self,
        job_state: JobState,
        reason: str = "",
        checkpoint: dict[str, Any] | None = None,
        *,
        wait: bool = True,
    ) -> None:
        """Pause a running job: nothing new starts, running handlers finish.

        From outside the job this returns once the job is ``paused`` (unless
        ``wait=False``); from one of the job's own handlers it returns at once
        and the job pauses when the handler returns. A job not running (one that
        already ended, say) becomes ``paused`` as it stands, as in routilux 0.10, and
        `resume` runs what it has pending. Each pause is recorded in
        ``job_state.pause_points`` as 0.10 recorded it (two records; a paused job
        paused again gets two more); `checkpoint` (routilux 0.10's) is JSON-compatible
        data kept in them under ``"checkpoint"``. A saved job that does not run here
        is changed only if this copy is the newest and no other process runs it
        (`JobStateError`, `JobClaimedError`); the same holds for `cancel`.
        """
        job_control.pause_job(self, job_state, reason, wait, checkpoint)

    def cancel(self, job_state: JobState, reason: str = "") -> None:
        """End a job as ``cancelled`` now: queued work is dropped, and what running
        handlers still emit goes nowhere. A job that already ended becomes
        ``cancelled`` too, as in routilux 0.10."""
        job_control.cancel_job(self, job_state, reason)

    def resume(
        self,
        job_state: JobState | str,
        input: dict[str, Any] | None = None,
        *,
        answers: dict[str, dict[str, Any]] | None = None,
    ) -> JobState:
        """Continue a paused job (or one that stopped while running, from its last
        checkpoint): re-queue its pending activations, emit its deferred events and
        the events of the pause points answered.

        `job_state` may be a job id when the flow has a store. `answers` maps
        pause ids (``job.waiting_pause_points``) to ``{field: value}``; each is
        checked against the fields its pause point expects before anything is
        consumed (`PauseAnswerError`, the job unchanged). Unanswered pause points
        keep waiting. `input` answers the one waiting pause point, or (with none)
        is merged into the deferred events' data. Returns the JobState.
        """
        return jobs.resume_job(self, job_state, input, answers)

    def history(self, job: JobState | str) -> list[Any]:
        """The kept checkpoints of a job in the flow's store (`CheckpointInfo`, oldest first)."""
        from .history import require_history

        if self._store is None:
            raise FlowError(f"flow {self.flow_id!r} has no store; create it with store=URL")
        return list(require_history(self._store).history(_job_id(job)))

    def fork(
        self, job: JobState | str, at: int, *, metadata: dict[str, Any] | None = None
    ) -> JobState:
        """Start a new job from checkpoint `at` of `job` (see ``history``): a new id,
        that checkpoint's state, ``metadata["forked_from"]`` (and `metadata` merged
        in); runs what was pending there with this flow's code. Returns it."""
        from .job_forks import fork_job

        return fork_job(self, job, at, metadata)

    def wait_for_completion(
        self, timeout: float | None = None, job_state: JobState | None = None
    ) -> bool:
        """Deprecated: use ``JobState.wait_for_completion(flow, job_state, timeout=)``.

        With `job_state`, waits for that job; without, until no job of this flow
        is running. False if `timeout` expired.
        """
        import warnings

        if job_state is not None:  # routilux 0.10's words, in both cases
            message = (
                "Flow.wait_for_completion() is deprecated. Use "
                "JobState.wait_for_completion(flow, job_state, timeout) instead."
            )
        else:
            message = (
                "Flow.wait_for_completion() without job_state is deprecated and does not "
                "check for errors. Use JobState.wait_for_completion(flow, job_state, timeout) "
                "instead for proper error detection."
            )
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        if job_state is not None:
            return JobState.wait_for_completion(self, job_state, timeout)
        scheduler = self._scheduler
        return True if scheduler is None else scheduler.wait_idle(timeout)

    def get_routine_retry_count(self, routine_id: str) -> int:
        """How many retries the error handler covering `routine_id` has made so far
        (its own handler, else the flow's; 0 without a handler)."""
        routine = self.require_routine(routine_id)
        handler = routine.get_error_handler() or self.error_handler
        return 0 if handler is None else handler.retry_count

    # -------------------------------------------------------- serialization
    # A facade over routilux.spec_build, which imports this module: the methods
    # import it on first use (the one deliberate import cycle of flow).

    @classmethod
    def from_spec(
        cls, spec: Mapping[str, Any], source: str = "", params: dict[str, Any] | None = None
    ) -> Flow:
        """Build a flow from a spec mapping (see `routilux.spec`); `params` fill its
        ``{{ params.NAME }}`` placeholders. `FlowSpecError` lists every problem."""
        from .spec_build import flow_from_dict

        return flow_from_dict(spec, source=source, params=params)

    @classmethod
    def from_file(cls, path: str, params: dict[str, Any] | None = None) -> Flow:
        """Build a flow from a spec file (TOML, JSON, or YAML with PyYAML)."""
        from .spec_build import flow_from_dict
        from .spec_load import load_spec_file

        return flow_from_dict(load_spec_file(path), source=path, params=params)

    def to_spec(self) -> dict[str, Any]:
        """The flow as a spec mapping (routines by registered name or class key)."""
        from .spec_write import flow_to_dict

        return flow_to_dict(self)

    def serialize(self) -> dict[str, Any]:
        """The flow's structure as JSON-compatible data with routilux 0.10's keys
        (never any job's state); `to_spec` gives the spec form. See
        `routilux.flow_data`."""
        from .flow_data import flow_to_data

        return flow_to_data(self)

    def deserialize(self, data: dict[str, Any]) -> Flow:
        """Rebuild this (empty) flow from `serialize` output or a spec; returns self.

        Routine classes are found among the Routine subclasses already defined in
        this process (``Routine`` itself included), preferring the calling module,
        or by registered plugin name; nothing is imported (`routilux.flow_data`).
        """
        import sys

        from .flow_data import build_flow, is_flow_data
        from .spec_build import flow_from_dict

        if self._routines:
            raise FlowError(
                f"deserialize() needs an empty Flow; flow {self.flow_id!r} has routines"
            )
        if not is_flow_data(data):
            flow_from_dict(data, into=self)
            return self
        # sys._getframe is the standard library's, not another module's private name
        caller = sys._getframe(1).f_globals.get("__name__", "__main__")  # noqa: SLF001
        build_flow(self, data, (caller, "__main__"))
        return self


def _job_id(job: JobState | str) -> str:
    return job if isinstance(job, str) else job.job_id
