"""Resume, pause and cancel of one in-memory job (a flow without a store) from several
threads: each acts on the job as another left it, never on a job half resumed. (With a
store, the job's claim orders them; without one, a lock of the job does.)"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from routilux import Flow, JobState, JobStateError, Routine

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
