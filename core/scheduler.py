"""The run loop: per-job activation queues, fair between jobs, fed to an executor.

One `Scheduler` per Flow. Each running job has a `JobRun` holding its FIFO
queue of `SlotActivation`s (the queue entries are also the JobState's pending
activations). Jobs with work ready wait in a round-robin ring; executor threads
take one activation from the job at the head and put the job back at the tail,
so a job with 10,000 queued activations does not starve a job with one.

A JobRun (`routilux.job_run`) is guarded by its JobState's lock; the ring by the
scheduler's condition. Lock order: a job lock may be held while taking the
scheduler lock, never the reverse. Ends of jobs are signalled with condition
variables; nothing sleeps or polls.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import deque
from typing import TYPE_CHECKING, Any

from .errors import JobStateError
from .job_run import JobRun as JobRun  # moved to job_run.py; re-exported
from .job_run import RunState as RunState
from .jobs import checkpoint, checkpoint_each_activation, release_job
from .locking import retake
from .records import JobStatus
from .registry import observers as current_observers
from .waiting import wait_for_status

if TYPE_CHECKING:
    from .activation import LocalWork
    from .executor import Executor
    from .flow import Flow
    from .job_state import JobState


log = logging.getLogger(__name__)
_allocate_lock = threading.Lock


class Scheduler:
    """Runs the jobs of one flow on the flow's executor.

    The scheduler holds its flow weakly (a running job's `JobRun` holds it
    strongly): the executor's idle threads, which hold the scheduler, do not keep
    a flow alive, so a flow that is dropped without `shutdown()` is collected and
    its finalizer closes the scheduler, which lets the threads exit.
    """

    def __init__(self, flow: Flow, executor: Executor) -> None:
        self._flow_ref = weakref.ref(flow)
        self.flow_id = flow.flow_id
        self.executor = executor
        self.runs: dict[str, JobRun] = {}
        lock = self._lock = threading.Lock()  # held as itself: cheaper than the conditions'
        #: Executor threads waiting for work (`next_work`), each blocked on a lock of its
        #: own that `add_ready` releases: `threading.Condition`'s wait and notify, written
        #: out on the scheduler's lock (guarded by it), because every job wakes a worker
        #: and the stdlib's costs a few µs more per job in Python-level calls.
        self._sleepers: list[threading.Lock] = []
        # flows waiting for no running job: a separate condition, so that the notify()
        # meant for an idle executor thread can never wake one of them instead
        self._no_runs = threading.Condition(lock)
        #: Runs with work for the workers. Guarded by the lock; `JobRun.hand_on` reads
        #: it without (a stale answer only costs fairness).
        self.ring: deque[JobRun] = deque()
        self._idle_waiters = 0  # threads in wait_idle (most flows have none)
        self._closed = False
        self._limit = executor.capacity or 1_000_000
        executor.start(self)

    # ---------------------------------------------------------- job lifecycle

    @property
    def flow(self) -> Flow:
        """The flow (only asked for while the flow is in use, so it is alive)."""
        flow = self._flow_ref()
        if flow is None:
            raise JobStateError(f"flow {self.flow_id!r} was garbage-collected")
        return flow

    def start_run(
        self,
        job_state: JobState,
        entry_id: str | None,
        *,
        caller_driven: bool = False,
        claimed: bool = False,
    ) -> JobRun:
        """`begin_run`, then the end of a run that has nothing to do."""
        run, end = self.begin_run(job_state, entry_id, caller_driven=caller_driven, claimed=claimed)
        if end is not None:
            self.end_run(run, end)
        return run

    def begin_run(
        self,
        job_state: JobState,
        entry_id: str | None,
        *,
        caller_driven: bool = False,
        claimed: bool = False,
    ) -> tuple[JobRun, JobStatus | None]:
        """Register a running job and queue its pending activations, in order; with the
        end to give it (`end_run`) if it has nothing to do (a resume calls that once it
        let go of the job's `control_lock`: observers hear of the end then).

        The caller has already put the first activations (the entry trigger, or
        a resumed job's pending work and deferred events) in the JobState, and
        saved it if the flow has a store: a job is durable before it runs. The
        observers' ``job_started`` runs before any of the job's activations.
        `claimed`: the caller took the job's claim for this run, which the run's end
        releases (and no other claim: a resume may hold one by then).
        """
        flow = self.flow
        store = flow.store
        checkpoint_each = store is not None and checkpoint_each_activation(flow)
        limit = 1 if checkpoint_each else self._limit
        observers = current_observers()
        with self._lock:
            if self._closed:
                raise JobStateError(
                    f"flow {flow.flow_id!r} was shut down; create a new Flow to run jobs"
                )
            running = self.runs.get(job_state.job_id)  # `live`, written out
            if running is not None and running.state is not RunState.ENDED:
                raise JobStateError(f"job {job_state.job_id} is already running in this flow")
            run = JobRun(
                self, flow, job_state, entry_id, limit, caller_driven, observers, checkpoint_each
            )
            run.claimed = claimed
            self.runs[job_state.job_id] = run
        try:
            if observers is not None:
                observers.job_started(job_state, flow)
            with run.lock:
                run.base_counts = job_state.activation_counts()
                run.queue.extend(job_state.pending_activations())
                if run.queue and not run.in_ring:
                    run.make_ready()
                end = None if run.queue else run.settle()  # a new run with work goes on
            when_lost = None if store is None else getattr(store, "when_lost", None)
            if when_lost is not None:  # the job's claim, if it was claimed to run here
                when_lost(job_state.job_id, self._claim_lost)
        except BaseException as error:  # Ctrl-C (in an observer, say) once registered
            # end the run rather than leave it live with nothing queued; the caller,
            # which took the claim, gives it up
            run.claimed = False
            self._stop(run, JobStatus.FAILED, f"interrupted as it started: {error!r}", False)
            raise
        return run, end

    def end_run(self, run: JobRun, status: JobStatus) -> None:
        """Carry out the end of a job: final status, pending snapshot, store, observers."""
        job_state = run.job_state
        store = run.flow.store
        with run.lock:
            if run.state is RunState.ENDED:
                return
            paused_by_flow = run.state is RunState.PAUSING
            run.state = RunState.ENDED
            run.queue.clear()
            if status == JobStatus.PAUSED:
                if paused_by_flow:  # flow.pause(); a pause at pause points needs no record
                    job_state.add_manual_pause(run.reason, run.pause_checkpoint)
            elif run.claim_lost:
                job_state.append_record(run.entry_id or "", "claim_lost", {"reason": run.reason})
            if run.waiting:
                run.stop_timers()
            watched, run.cancel_watch = run.cancel_watch, None
            job_state.end(status, run.reason)
            # waiters wake once the running activations are cancelled and the store has
            # the end: at once when there is neither (the usual case)
            woken = not watched and store is None
            if woken:
                job_state.notify_all_waiters()
            else:  # a waiter arriving now must not see the end before the store has it
                job_state.hold_waiters()
        if watched:
            for work in list(watched):
                work.cancel(f"was stopped: its job is {status.value}")
        try:
            if store is not None and not run.claim_lost:  # a lost claim is another's now
                checkpoint(run.flow, job_state, final=True)
        finally:  # even if Ctrl-C stops the final save: no claim or waiter left behind
            if run.claimed and not run.claim_lost:
                release_job(run.flow, job_state)
            elif run.claimed:  # lost: nothing to release, but no longer held here
                run.flow.held_claims.discard(job_state.job_id)
            if not woken:
                with run.lock:
                    job_state.release_waiters()
            with self._lock:
                if self.runs.get(job_state.job_id) is run:  # not a run started since
                    del self.runs[job_state.job_id]
                if not self.runs and self._idle_waiters:
                    self._no_runs.notify_all()
        if run.observers is not None:
            run.observers.job_finished(job_state, run.flow)

    def live(self, job_id: str, locked: bool = False) -> JobRun | None:
        """The run of job `job_id`, unless it has ended. An ended run stays in `runs` until
        `end_run` is done with it, after its waiters woke: one of them may resume the job
        at once. (`locked`: the caller holds the scheduler's lock.)"""
        if locked:
            run = self.runs.get(job_id)
        else:
            with self._lock:
                run = self.runs.get(job_id)
        # a run's state only ever moves on to ENDED: read unlocked, ENDED is final
        return None if run is None or run.state is RunState.ENDED else run

    def live_job_ids(self) -> list[str]:
        """The ids of the jobs this scheduler runs now (not those that have ended)."""
        with self._lock:
            return [job_id for job_id, run in self.runs.items() if run.state is not RunState.ENDED]

    def pause(self, run: JobRun, reason: str, wait: bool, data: Any = None) -> bool:
        """Pause `run` (`Flow.pause`); False if it had ended before (nothing changed: the
        caller pauses the job as it stands)."""
        with run.lock:
            if run.state is RunState.ENDED:
                return False
            run.pause_checkpoint = data
            end = run.request_stop(RunState.PAUSING, reason)
        if end is not None:
            self.end_run(run, end)
        elif wait:
            wait_for_status(run.job_state, lambda: run.state is RunState.ENDED, None)
        return True

    def _claim_lost(self, job_id: str) -> None:
        """The store lost the job's claim: stop its run here, whichever run holds it now
        (a run registering late for a claim a resume took since is not the one)."""
        try:
            holds = getattr(self.flow.store, "holds", None)
        except JobStateError:  # the flow is gone, and its runs with it
            return
        if holds is not None and holds(job_id):
            return  # claimed again since (a resume): the claim held now is another
        run = self.live(job_id)
        if run is not None:
            self.lose_claim(run)

    def lose_claim(self, run: JobRun, stop_running: bool = True) -> None:
        """Stop `run`: another process took the job's claim after its lease ran out here
        and runs the job now. Like a cancel, but the job is not cancelled: this
        process's JobState ends ``failed`` with a ``claim_lost`` record (its saves are
        refused: the store keeps the new owner's), running activations are stopped
        (unless `stop_running` is False: called from the only one, as it finishes)."""
        reason = (
            f"this process lost the claim of job {run.job_state.job_id} (its lease ran out "
            "before renewal and another owner took it; the job runs there now)"
        )
        if self._stop(run, JobStatus.FAILED, reason, stop_running, claim_lost=True):
            log.error("%s", reason)

    def cancel(self, run: JobRun, reason: str) -> bool:
        """Cancel `run` (`Flow.cancel`); False if it had ended before (nothing changed)."""
        return self._stop(run, JobStatus.CANCELLED, reason)

    def _stop(
        self,
        run: JobRun,
        status: JobStatus,
        reason: str,
        stop_running: bool = True,
        *,
        claim_lost: bool = False,
    ) -> bool:
        """End `run` now with `status` (cancel, lost claim); False if it had ended."""
        with run.lock:
            if run.state is RunState.ENDED:
                return False
            run.stop_as(status, reason, claim_lost)
        self.end_run(run, status)
        stop = getattr(self.executor, "cancel", None) if stop_running else None
        if stop is not None:  # stop the job's running activations, where the executor can
            stop(run.job_state.job_id)
        return True

    # ------------------------------------------------------------ the ring

    def add_ready(self, run: JobRun) -> None:
        """Put `run` in the ring of runs with work for the workers (once)."""
        with self._lock:
            if not run.in_ring:
                run.in_ring = True
                self.ring.append(run)
                if self._sleepers:  # wake one idle worker (the most recent: its cache is warm)
                    self._sleepers.pop().release()

    def next_work(self) -> LocalWork | None:
        """Block until an activation may start; None once the scheduler is closed."""
        lock = self._lock
        ring = self.ring
        while True:
            with lock:
                while not ring:
                    if self._closed:
                        return None
                    self._sleep()  # holding no JobRun: an idle worker keeps no flow alive
                run = ring.popleft()
                run.in_ring = False
            with run.lock:
                work = run.take()
            if work is not None:
                return work
            del run, work

    def _sleep(self) -> None:
        """Wait until `add_ready` or `close` wakes this thread (the scheduler's lock held,
        released while waiting and held again on return). A wake-up cannot be lost: the
        waker pops the sleeper and releases its lock under the scheduler's lock, so a
        release made before this thread blocks lets it through at once."""
        waiter = _allocate_lock()
        waiter.acquire()
        self._sleepers.append(waiter)
        self._lock.release()
        interrupt: BaseException | None = None
        try:
            waiter.acquire()
        except BaseException as error:  # interrupted (an executor's main thread, Ctrl-C)
            interrupt = error
        try:
            self._lock.acquire()
        except BaseException as error:  # interrupted while blocked: not taken
            retake(self._lock)  # held again, whatever interrupts
            interrupt = interrupt or error
        if interrupt is not None:
            if waiter in self._sleepers:
                self._sleepers.remove(waiter)
            elif self.ring and self._sleepers:  # it was woken: pass the wake-up on
                self._sleepers.pop().release()
            raise interrupt

    def serve(self) -> None:
        """Run activations in this thread until the scheduler is closed.

        After an activation, the thread goes on with the same job while no other
        job is waiting in the ring (`JobRun.hand_on`); that keeps a busy job off the ring's
        lock without being unfair to others.
        """
        work = self.next_work()
        while work is not None:
            work.run_batch()  # logs what a bug raises: the worker lives on
            del work  # see next_work: an idle worker keeps no flow alive
            work = self.next_work()

    def drive(self, run: JobRun, deadline: float | None) -> bool:
        """Run a caller-driven job in this thread until it stops; False at `deadline`.

        At the deadline the job is handed to the executor and keeps running.
        """
        import time

        job_state = run.job_state
        while True:
            with run.lock:
                if run.state is RunState.ENDED:
                    return True
                work = run.take()
                if work is None:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        run.caller_driven = False
                        if run.queue and run.state is RunState.RUNNING:
                            self.add_ready(run)
                        return False
                    condition = job_state.add_waiter()
                    try:
                        condition.wait(remaining)
                    finally:
                        job_state.remove_waiter()
                    continue
            work.run_here()
            if deadline is not None and time.monotonic() >= deadline:
                with run.lock:
                    if run.state is RunState.ENDED:
                        return True
                    run.caller_driven = False
                    if run.queue and run.in_flight < run.limit and run.state is RunState.RUNNING:
                        self.add_ready(run)
                return False

    # ------------------------------------------------------------- waiting

    def wait_idle(self, timeout: float | None) -> bool:
        """Wait until no job of the flow is running; False on timeout."""
        with self._lock:
            self._idle_waiters += 1
            try:
                return self._no_runs.wait_for(lambda: not self.runs, timeout)
            finally:
                self._idle_waiters -= 1

    def close(self, wait: bool = True) -> None:
        """Stop handing out work and shut the executor down."""
        with self._lock:
            self._closed = True
            sleepers, self._sleepers = self._sleepers, []
            for waiter in sleepers:
                waiter.release()
        self.executor.shutdown(wait=wait)
