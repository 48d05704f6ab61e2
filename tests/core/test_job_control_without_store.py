"""Resume, pause and cancel of one in-memory job (a flow without a store) from several
threads: each acts on the job as another left it, never on a job half resumed. (With a
store, the job's claim orders them; without one, a lock of the job does.)"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

import pytest

import routilux
from routilux import Flow, JobState, JobStateError, Routine
from routilux.registry import registered

WAIT = 30.0


class Start(Routine):
    """Emits, and pauses its own job with an event to emit when it resumes (deferred):
    the paused job has one activation of `work` pending and one to come."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("go", ["n"])

    def go(self) -> None:
        self.emit("go", n=1)
        self.emit_deferred_event("go", n=2)
        flow, job_state, _ = self.get_execution_context()
        flow.pause(job_state, reason="wait")


class Work(Routine):
    """Counts its activations. While `hold` is set, a resume that checks the job's
    routines (`get_slot`) stops there until `go_on` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.runs = 0
        self.count_lock = threading.Lock()
        self.hold = False
        self.checking = threading.Event()
        self.go_on = threading.Event()
        self.define_slot("input", handler=self.work)

    def get_slot(self, name: str):  # called by resume's checks, before the job changes
        if self.hold and threading.current_thread().name == "resumer":
            self.hold = False
            self.checking.set()
            self.go_on.wait(WAIT)
        return super().get_slot(name)

    def work(self, n: int) -> None:
        with self.count_lock:
            self.runs += 1


@pytest.fixture
def paused(make_flow) -> tuple[Flow, JobState, Work]:
    flow = make_flow(flow_id="no-store")
    work = Work()
    flow.add_routine(Start(), "start")
    flow.add_routine(work, "work")
    flow.connect("start", "go", "work", "input")
    job = flow.execute("start")
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "paused" and work.runs == 0
    return flow, job, work


def resume_held(flow: Flow, job: JobState, work: Work, meanwhile: Callable[[], None]) -> None:
    """Resume `job` in a thread that stops in resume's checks; run `meanwhile` in another
    thread then, and let the resume go on once `meanwhile` returned or had a while."""
    errors: list[BaseException] = []

    def resume() -> None:
        try:
            flow.resume(job)
        except BaseException as exc:  # raised in the test's thread below
            errors.append(exc)

    work.hold = True
    resumer = threading.Thread(target=resume, name="resumer")
    resumer.start()
    assert work.checking.wait(WAIT)
    other = threading.Thread(target=meanwhile)
    other.start()
    # With the job's lock, `meanwhile` waits for the resume; without it, it acts now
    # on the job the resume has checked. Either way the resume goes on after this.
    other.join(0.5)
    work.go_on.set()
    resumer.join(WAIT)
    other.join(WAIT)
    assert not resumer.is_alive() and not other.is_alive()
    if errors:
        raise errors[0]


def test_a_cancel_during_a_resume_cancels_the_resumed_job(paused) -> None:
    flow, job, work = paused
    resume_held(flow, job, work, lambda: flow.cancel(job, reason="stop"))
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    # cancelled, whichever came first; never a cancelled job resumed and run
    assert job.status == "cancelled"
    assert flow.live_run(job.job_id) is None


def test_of_two_resumes_at_once_one_runs_the_job_and_the_other_is_refused(paused) -> None:
    flow, job, work = paused
    later: list[BaseException] = []

    def resume_again() -> None:
        try:
            flow.resume(job)
        except JobStateError as exc:
            later.append(exc)

    resume_held(flow, job, work, resume_again)
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "completed"
    assert work.runs == 2  # the pending activation and the deferred event, once each
    # the other resume found the job running or completed: never resumed twice
    assert len(later) == 1
    assert "already running" in str(later[0]) or "it is completed" in str(later[0])


class Slow(Routine):
    """Its handler runs until `finish` is set (`started` once it runs)."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.finish = threading.Event(), threading.Event()
        self.define_slot("input", handler=self.work)

    def work(self, n: int) -> None:
        self.started.set()
        self.finish.wait(WAIT)


class Go(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda: self.emit("go", n=1))
        self.define_event("go", ["n"])


@pytest.mark.parametrize(
    ("action", "stopping", "expected"),
    [("cancel", "_stop", "cancelled"), ("pause", "pause", "paused")],
)
def test_a_pause_or_cancel_that_finds_the_run_as_it_ends_still_applies(
    make_flow, action, stopping, expected
) -> None:
    # the run is found live, then ends before the scheduler stops it: the call then
    # applies to the job as it stands, as to any job that has ended
    flow = make_flow(flow_id="ending")
    slow = Slow()
    flow.add_routine(Go(), "go")
    flow.add_routine(slow, "slow")
    flow.connect("go", "go", "slow", "input")
    job = flow.execute("go")
    assert slow.started.wait(WAIT)

    def end_the_run_first(frame, event, arg):  # a trace function: in the caller's thread
        code = frame.f_code
        if (
            event == "call"
            and code.co_name == stopping
            and code.co_filename.endswith("scheduler.py")
        ):
            sys.settrace(None)
            slow.finish.set()
            assert JobState.wait_for_completion(flow, job, timeout=WAIT)
        return None

    def call() -> None:
        sys.settrace(end_the_run_first)
        try:
            getattr(flow, action)(job)
        finally:
            sys.settrace(None)

    caller = threading.Thread(target=call)
    caller.start()
    caller.join(WAIT)
    slow.finish.set()
    assert not caller.is_alive()
    assert job.status == expected


class PausesFromAnotherThread:
    """An observer that, when a job finishes, has another thread pause it and waits for
    that thread (a controller or UI thread it hands jobs to)."""

    def __init__(self) -> None:
        self.armed = False
        self.paused_in_time: list[bool] = []

    @routilux.hookimpl
    def routilux_job_finished(self, job_state: JobState, flow: Flow) -> None:
        if self.armed:
            self.armed = False
            other = threading.Thread(target=lambda: flow.pause(job_state, reason="again"))
            other.start()
            other.join(WAIT)
            self.paused_in_time.append(not other.is_alive())


def test_an_observer_may_wait_for_another_threads_pause_of_a_job_its_resume_ended(
    make_flow,
) -> None:
    # a resume with nothing left to run ends the run at once: the observers hear of
    # its end after the resume let go of the job, so the other thread's pause goes on
    flow = make_flow(flow_id="observer-hand-off")
    flow.add_routine(Go(), "go")
    observer = PausesFromAnotherThread()
    with registered(observer, name="pauses-from-another-thread"):
        job = flow.execute("go")
        assert JobState.wait_for_completion(flow, job, timeout=WAIT)
        flow.pause(job, reason="as it stands")  # an ended job pauses as it stands
        assert job.status == "paused"
        observer.armed = True
        flow.resume(job)
    assert observer.paused_in_time == [True]
    assert job.status == "paused"


class PausesAfterACancel(Routine):
    """Pauses its own job from its handler once `go_on` is set (its job may have been
    cancelled meanwhile: a cancel does not wait for running handlers)."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.go_on, self.done = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )
        self.define_slot("input", handler=self.work)

    def work(self, n: int) -> None:
        self.started.set()
        self.go_on.wait(WAIT)
        flow, job, _ = self.get_execution_context()
        try:
            flow.pause(job, reason="from the handler")
            flow.cancel(job, reason="again, from the handler")
        finally:
            self.done.set()


def test_a_handler_left_over_from_a_cancelled_job_cannot_pause_it(make_flow) -> None:
    flow = make_flow(flow_id="left-over")
    handler = PausesAfterACancel()
    flow.add_routine(Go(), "go")
    flow.add_routine(handler, "late")
    flow.connect("go", "go", "late", "input")
    job = flow.execute("go")
    assert handler.started.wait(WAIT)
    flow.cancel(job, reason="stop it")
    handler.go_on.set()
    assert handler.done.wait(WAIT)
    assert job.status == "cancelled"
    assert job.routine_states["_cancellation"] == {"reason": "stop it"}
