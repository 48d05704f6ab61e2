"""An activation that timed out or was cancelled cannot change its job any more.

Its handler keeps running (a thread cannot be killed), but every write and emit it
makes afterwards is refused and logged, and it can see
``get_execution_context().cancelled`` to stop early.
"""

from __future__ import annotations

import logging
import threading

import pytest

from routilux import ErrorHandler, ExecutionContextError, JobState, Routine
from routilux.records import JobStatus

WAIT = 30


class Lingers(Routine):
    """Its handler waits for `release`, then tries every kind of effect and reports
    which were refused (in `outcomes`, by attempt)."""

    def __init__(self, timeout: float | None = 0.2, release_on: int = 0) -> None:
        super().__init__()
        self.release_on = release_on
        self.release = threading.Event()
        self.done = threading.Semaphore(0)
        self.started = threading.Event()  # a handler has started
        self.outcomes: list[dict[str, str]] = []
        self.saw_cancelled: list[bool] = []
        self.lock = threading.Lock()
        self.attempts = 0
        self.define_slot("trigger", handler=self.work, timeout=timeout)
        self.define_event("out", ["n"])

    def work(self, **kw: object) -> None:
        self.started.set()
        with self.lock:
            self.attempts += 1
            attempt = self.attempts
        if attempt == self.release_on:
            self.release.set()
        ctx = self.get_execution_context()
        assert ctx is not None
        self.release.wait(WAIT)
        job = ctx.job_state
        results: dict[str, str] = {}
        effects = {
            "shared": lambda: job.update_shared_data("writer", attempt),
            "state": lambda: job.update_routine_state("l", {"attempt": attempt}),
            "log": lambda: job.append_to_shared_log({"attempt": attempt}),
            "output": lambda: self.send_output("note", attempt=attempt),
            "emit": lambda: self.emit("out", n=attempt),
            "metadata": lambda: job.update_metadata(attempt=attempt),
        }
        for name, effect in effects.items():
            try:
                effect()
                results[name] = "applied"
            except ExecutionContextError:
                results[name] = "refused"
        with self.lock:
            self.outcomes.append(results)
            self.saw_cancelled.append(ctx.cancelled)
        self.done.release()


class Sink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=lambda n: None)


def make(make_flow, lingers, strategy="concurrent"):
    flow = make_flow(flow_id="cancel", execution_strategy=strategy, max_workers=2)
    flow.add_routine(lingers, "l")
    flow.add_routine(Sink(), "sink")
    flow.connect("l", "out", "sink", "input")
    return flow


def test_a_timed_out_handler_cannot_write_to_the_failed_job(make_flow, caplog):
    lingers = Lingers()
    flow = make(make_flow, lingers)
    job = flow.run("l", timeout=WAIT)
    assert job.status == "failed"
    before = job.serialize()
    with caplog.at_level(logging.WARNING, logger="routilux.activation"):
        lingers.release.set()  # the abandoned handler now tries everything
        assert lingers.done.acquire(timeout=WAIT)
    assert lingers.outcomes == [dict.fromkeys(lingers.outcomes[0], "refused")]
    assert lingers.saw_cancelled == [True]
    after = job.serialize()
    assert after["shared_data"] == before["shared_data"] == {}
    assert after["output_log"] == before["output_log"] == []
    assert after["routine_states"] == before["routine_states"]
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert refusals and "timed out after 0.2s" in refusals[0].getMessage()
    assert "update_shared_data('writer')" in caplog.text


def test_with_retry_only_the_last_attempt_changes_the_job(make_flow):
    """Three attempts time out; the fourth releases them all, so the three abandoned
    handlers try their effects while the fourth makes its own: only the fourth's land.
    (The timeout is generous so that the fourth finishes in time on a loaded machine.)"""
    lingers = Lingers(timeout=1.0, release_on=4)
    lingers.set_error_handler(ErrorHandler("retry", max_retries=3, retry_delay=0))
    flow = make(make_flow, lingers)
    job = flow.run("l", timeout=WAIT)
    for _ in range(4):
        assert lingers.done.acquire(timeout=WAIT)
    assert job.status == "completed"
    assert lingers.attempts == 4
    applied = [o for o in lingers.outcomes if "applied" in o.values()]
    assert applied == [dict.fromkeys(applied[0], "applied")]
    assert job.shared_data == {"writer": 4}
    assert [o["data"]["attempt"] for o in job.output_log] == [4]
    assert [r.data["n"] for r in job.get_execution_history("l") if r.event_name == "out"] == [4]


def test_a_handler_of_a_cancelled_job_sees_cancelled_and_its_writes_are_refused(make_flow):
    lingers = Lingers(timeout=None)
    flow = make(make_flow, lingers)
    job = JobState(flow_id=flow.flow_id)
    # execute() runs the entry handler in the calling thread: call it from another one
    starter = threading.Thread(target=flow.execute, args=("l",), kwargs={"job_state": job})
    starter.start()
    assert lingers.started.wait(WAIT)
    flow.cancel(job, "enough")
    lingers.release.set()
    assert lingers.done.acquire(timeout=WAIT)
    assert job.status == "cancelled"
    assert lingers.saw_cancelled == [True]
    assert set(lingers.outcomes[0].values()) == {"refused"}
    assert job.shared_data == {} and job.output_log == []


def test_a_running_handler_is_not_cancelled(make_flow):
    seen = []

    class Plain(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)

        def go(self, **kw):
            seen.append(self.get_execution_context().cancelled)
            self.get_execution_context().job_state.update_shared_data("x", 1)

    flow = make_flow(flow_id="plain")
    flow.add_routine(Plain(), "p")
    job = flow.run("p")
    assert job.status == "completed" and seen == [False] and job.shared_data == {"x": 1}
    ctx = job  # writes from outside any handler are never refused
    ctx.update_shared_data("y", 2)
    assert job.shared_data == {"x": 1, "y": 2}


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_the_execution_context_still_unpacks_as_a_triple(make_flow, strategy):
    got = []

    class Unpacks(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)

        def go(self, **kw):
            flow, job_state, routine_id = self.get_execution_context()
            got.append((flow.flow_id, routine_id))

    flow = make_flow(flow_id="tuple", execution_strategy=strategy)
    flow.add_routine(Unpacks(), "u")
    flow.run("u", timeout=WAIT)
    assert got == [("tuple", "u")]


class Registers(Routine):
    """Registers an on_cancel callback on its own activation (as an executor that can
    stop a handler would), then waits for `release`."""

    def __init__(self, timeout: float | None = None) -> None:
        super().__init__()
        self.release = threading.Event()
        self.registered = threading.Event()
        self.reasons: list[str] = []
        self.got_reason = threading.Event()
        self.define_slot("trigger", handler=self.go, timeout=timeout)

    def on_cancel(self, reason: str) -> None:
        self.reasons.append(reason)
        self.got_reason.set()

    def go(self, **kw: object) -> None:
        from routilux.context import current_scope

        current_scope.get().on_cancel(self.on_cancel)
        self.registered.set()
        self.release.wait(WAIT)


def test_on_cancel_is_called_when_the_activation_times_out(make_flow):
    routine = Registers(timeout=0.2)
    flow = make_flow(flow_id="on-cancel", execution_strategy="concurrent")
    flow.add_routine(routine, "r")
    job = flow.run("r", timeout=WAIT)
    assert job.status == "failed"
    assert routine.got_reason.wait(WAIT)
    assert routine.reasons == ["timed out after 0.2s"]
    routine.release.set()


def test_on_cancel_is_called_when_the_job_is_cancelled(make_flow):
    routine = Registers()
    flow = make_flow(flow_id="on-cancel", execution_strategy="concurrent")
    flow.add_routine(routine, "r")
    job = JobState(flow_id=flow.flow_id)
    # execute() runs the entry handler in the calling thread: call it from another one
    starter = threading.Thread(target=flow.execute, args=("r",), kwargs={"job_state": job})
    starter.start()
    assert routine.registered.wait(WAIT)
    flow.cancel(job, "stop")
    assert routine.got_reason.wait(WAIT)
    assert routine.reasons == ["was stopped: its job is cancelled"]
    routine.release.set()


def test_on_cancel_is_not_called_for_an_activation_that_finished(make_flow):
    routine = Registers()
    routine.release.set()
    flow = make_flow(flow_id="on-cancel", execution_strategy="concurrent")
    flow.add_routine(routine, "r")
    job = flow.run("r", timeout=WAIT)
    assert job.status == "completed"
    assert routine.reasons == []  # the job's end does not cancel a finished activation


def test_a_job_cancelled_while_its_last_activation_finishes_ends_cancelled(make_flow):
    """A cancel first stops the run (`JobRun.stop_as`, under the job's lock), then ends
    it. The job's last running activation may finish in between and settle the job
    itself: the job ends as the cancel said, not as failed."""
    started, release = threading.Event(), threading.Event()
    source = Routine()
    source.define_slot("trigger", handler=lambda **kw: source.emit("go"))
    source.define_event("go")
    waits = Routine()
    waits.define_slot("input", handler=lambda **kw: started.set() or release.wait(WAIT))
    flow = make_flow(flow_id="cancel-settle", execution_strategy="concurrent")
    flow.add_routine(source, "source")
    flow.add_routine(waits, "waits")
    flow.connect("source", "go", "waits", "input")
    job = flow.execute("source")
    run = flow.live_run(job.job_id)
    assert run is not None and started.wait(WAIT)
    with run.lock:  # the cancel's first step; its second (ending the run) comes too late
        run.stop_as(JobStatus.CANCELLED, "stopped by the user")
    release.set()  # the activation finishes and settles the job
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "cancelled"
