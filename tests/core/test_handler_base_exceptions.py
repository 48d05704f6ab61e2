"""A handler raising SystemExit, KeyboardInterrupt or GeneratorExit fails its activation
(its error strategy applies) and never kills the worker thread that ran it."""

from __future__ import annotations

import _thread
import functools
import sys
import threading
import time

import pytest

import routilux
from routilux import ErrorHandler, Flow, JobState, Routine
from routilux.activation import LocalWork
from routilux.registry import registered


@pytest.fixture
def make_flow(make_flow):
    """Strict flows: their error records name the exception's type."""
    return functools.partial(make_flow, tolerate_downstream_errors=False)


class Raises(Routine):
    """Its trigger emits to `boom`, whose handler raises `error` on the first `times` calls."""

    def __init__(self, error: type[BaseException], times: int = 1_000_000) -> None:
        super().__init__()
        self.error = error
        self.times = times
        self.define_slot("trigger", handler=lambda **kw: self.emit("go"))
        self.define_slot("boom", handler=self.boom)
        self.define_event("go")
        self.define_event("done", ["calls"])

    def boom(self, **kw: object) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        calls = (ctx.job_state.get_routine_state("r") or {}).get("calls", 0) + 1
        ctx.job_state.update_routine_state("r", {"calls": calls})
        if calls <= self.times:
            raise self.error("from the handler")


def flow_of(make_flow, error, strategy, handler=None, times=1_000_000):
    flow = make_flow(flow_id="base", execution_strategy=strategy, max_workers=1)
    routine = Raises(error, times)
    if handler is not None:
        routine.set_error_handler(handler)
    flow.add_routine(routine, "r")
    flow.connect("r", "go", "r", "boom")
    return flow


@pytest.mark.parametrize("error", [SystemExit, KeyboardInterrupt, GeneratorExit])
@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_the_activation_fails_and_the_worker_serves_the_next_jobs(make_flow, error, strategy):
    flow = flow_of(make_flow, error, strategy)
    for _ in range(3):  # one worker: a dead worker would leave the later jobs running
        job = flow.execute("r")
        assert JobState.wait_for_completion(flow, job, timeout=30)
        assert job.status == "failed"
        state = job.get_routine_state("r")
        assert state["status"] == "failed"
        records = [r for r in job.get_execution_history("r") if r.event_name == "error"]
        assert records[-1].data["error_type"] == error.__name__


@pytest.mark.parametrize("error", [SystemExit, GeneratorExit])
def test_the_error_strategy_applies(make_flow, error):
    flow = flow_of(make_flow, error, "concurrent", ErrorHandler(strategy="continue"))
    job = flow.run("r", timeout=30)
    assert job.status == "completed"
    assert job.get_routine_state("r")["status"] == "error_continued"

    flow = flow_of(
        make_flow,
        error,
        "concurrent",
        ErrorHandler(strategy="retry", retry_delay=0, retryable_exceptions=(error,)),
        times=2,
    )
    job = flow.run("r", timeout=30)
    assert job.status == "completed"
    assert job.get_routine_state("r")["calls"] == 3


def test_ctrl_c_in_the_calling_thread_still_interrupts(make_flow):
    """A sequential `Flow.run` drives the job in the caller's thread; Ctrl-C there
    (simulated by interrupt_main from inside a handler) stops the call."""

    class Interrupted(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.stop)

        def stop(self, **kw: object) -> None:
            _thread.interrupt_main()
            for _ in range(10_000_000):  # the interrupt is delivered at a bytecode boundary
                pass

    flow = make_flow(flow_id="ctrl-c")
    flow.add_routine(Interrupted(), "i")
    with pytest.raises(KeyboardInterrupt):
        flow.run("i")


@pytest.mark.parametrize("emits", [True, False], ids=["while emitting", "as it returns"])
def test_ctrl_c_while_the_caller_waits_for_the_job_lock_leaves_the_lock_free(make_flow, emits):
    """The entry handler runs in the caller's thread. Ctrl-C arriving while that thread
    waits for the job's lock (held by another thread) reaches the caller, and the lock
    is free afterwards: the job can still be cancelled and read."""
    main = threading.main_thread().ident
    found = threading.Event()

    class Entry(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_event("out", ["x"])

        def go(self, **kw: object) -> None:
            lock = self.get_execution_context().job_state.lock
            held = threading.Event()

            def interrupt_while_main_waits() -> None:
                with lock:
                    held.set()
                    # the engine's functions that take the job's lock after the handler
                    # emits or returns (the caller blocks in them, its innermost frame)
                    waiting_in = (LocalWork.emit if emits else LocalWork._succeeded).__code__
                    deadline = time.monotonic() + 30
                    while time.monotonic() < deadline:  # until the caller waits for the lock
                        frame = sys._current_frames().get(main)
                        if frame is not None and frame.f_code is waiting_in:
                            found.set()
                            break
                        time.sleep(0.001)
                    _thread.interrupt_main()

            threading.Thread(target=interrupt_while_main_waits, daemon=True).start()
            held.wait()
            if emits:
                self.emit("out", x=1)

    flow = make_flow(flow_id="ctrl-c-lock", execution_strategy="concurrent", max_workers=2)
    flow.add_routine(Entry(), "entry")
    flow.add_routine(Raises(ValueError), "sink")
    flow.connect("entry", "out", "sink", "boom")
    job = JobState(flow_id="ctrl-c-lock")
    with pytest.raises(KeyboardInterrupt):
        flow.execute("entry", job_state=job)
    assert found.is_set(), "the caller was never seen waiting for the job's lock"
    assert job.lock.acquire(timeout=30), "the job's lock was left held"
    job.lock.release()
    flow.cancel(job)
    assert job.status in ("failed", "cancelled")


def test_ctrl_c_during_the_final_save_leaves_no_claim_or_run_behind(tmp_path):
    """A one-routine job ends in the caller's thread, which makes its final save; Ctrl-C
    there reaches the caller, and the job's claim and run are given up all the same."""
    from routilux.plugins.stores.sqlite import SQLiteJobStore

    class InterruptedFinalSave(SQLiteJobStore):
        def save(self, job_state: JobState) -> None:
            if job_state.status == "completed":
                raise KeyboardInterrupt
            super().save(job_state)

    class One(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=lambda **kw: None)

    flow = Flow(flow_id="ctrl-c-save")
    flow.set_store(InterruptedFinalSave(f"sqlite:///{tmp_path / 'jobs.db'}"))
    flow.add_routine(One(), "one")
    job = JobState(flow_id="ctrl-c-save")
    with pytest.raises(KeyboardInterrupt):
        flow.execute("one", job_state=job)
    assert job.status == "completed"
    assert not flow.store.holds(job.job_id)  # released: another process may take it
    assert flow.live_run(job.job_id) is None
    assert JobState.wait_for_completion(flow, job, timeout=30)
    flow.shutdown(wait=True)


class CtrlCWhenAJobStarts:
    """An observer whose `job_started` raises KeyboardInterrupt once armed (Ctrl-C
    arriving while a resume starts the job's run)."""

    armed = False

    @routilux.hookimpl
    def routilux_job_started(self, job_state: JobState) -> None:
        if self.armed:
            self.armed = False
            raise KeyboardInterrupt


def test_ctrl_c_as_a_resumed_run_starts_ends_the_run_and_gives_the_claim_up(tmp_path):
    class PausesItself(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_slot("input", handler=lambda n: None)
            self.define_event("out", ["n"])

        def go(self) -> None:
            self.emit("out", n=1)
            flow, job_state, _ = self.get_execution_context()
            flow.pause(job_state, reason="wait")

    flow = Flow(flow_id="ctrl-c-resume", store=f"sqlite:///{tmp_path / 'jobs.db'}")
    flow.add_routine(PausesItself(), "a")
    flow.add_routine(PausesItself(), "b")
    flow.connect("a", "out", "b", "input")
    observer = CtrlCWhenAJobStarts()
    try:
        with registered(observer, name="ctrl-c-when-a-job-starts"):
            job = flow.execute("a")
            assert JobState.wait_for_completion(flow, job, timeout=30)
            assert job.status == "paused"
            observer.armed = True
            with pytest.raises(KeyboardInterrupt):
                flow.resume(job)
        # not left running with nothing queued: ended, saved, its claim free
        assert flow.live_run(job.job_id) is None
        assert JobState.wait_for_completion(flow, job, timeout=30)
        assert job.status == "failed"
        assert not flow.store.holds(job.job_id)
        assert flow.store.load(job.job_id).status == "failed"
        flow.resume(job)  # a failed job resumes: its pending work runs
        assert JobState.wait_for_completion(flow, job, timeout=30)
        assert job.status == "completed"
    finally:
        flow.shutdown(wait=True, timeout=10)
