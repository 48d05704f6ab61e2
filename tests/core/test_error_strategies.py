"""Error strategies: what each does to the routine, the job and the pending work."""

from __future__ import annotations

import functools
import threading
from datetime import datetime

import pytest

import routilux
from routilux import ErrorHandler, FlowSpecError, HandlerTimeoutError, JobState, Routine


@pytest.fixture
def make_flow(make_flow):
    """These tests are about the strategies themselves: strict flows, where every
    handler's error reaches its strategy and every step is recorded in full."""
    return functools.partial(make_flow, tolerate_downstream_errors=False)


class Fails(Routine):
    """Raises `error` for the first `times` calls, then emits "ok"."""

    def __init__(self, times=1, error=ConnectionError):
        super().__init__()
        self.times, self.error = times, error
        self.define_slot("input", handler=self.call)
        self.define_slot("trigger", handler=self.call)
        self.define_event("ok")

    def call(self, **kw):
        ctx = self.get_execution_context()
        calls = (ctx.job_state.get_routine_state(ctx.routine_id) or {}).get("calls", 0) + 1
        ctx.job_state.update_routine_state(ctx.routine_id, {"calls": calls})
        if calls <= self.times:
            raise self.error(f"call {calls}")
        self.emit("ok", calls=calls)


class Kick(Routine):
    """An entry that only starts its downstream routines."""

    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=lambda: self.emit("go"))
        self.define_event("go")


def events(job, routine_id):
    return [r.event_name for r in job.get_execution_history(routine_id)]


def run_with(make_flow, handler, times=1, error=ConnectionError, other=True):
    flow = make_flow(flow_id="errors")
    fails = Fails(times, error)
    fails.set_error_handler(handler)
    flow.add_routine(fails, "fails")
    if other:

        class After(Routine):
            def __init__(self):
                super().__init__()
                self.define_slot("input", handler=lambda **kw: None)

        flow.add_routine(After(), "after")
        flow.connect("fails", "ok", "after", "input")
    return flow, flow.run("fails")


def test_stop_fails_the_job_and_keeps_the_activation_for_a_resume(make_flow):
    flow, job = run_with(make_flow, None)
    assert job.status == "failed"
    state = job.get_routine_state("fails")
    trace = state.pop("traceback")
    assert datetime.fromisoformat(state.pop("error_time"))  # as 0.10 kept for the entry
    assert state == {"calls": 1, "status": "failed", "error": "call 1"}
    assert "ConnectionError: call 1" in trace
    assert [(t["routine_id"], t["slot"]) for t in job.pending_tasks] == [("fails", "trigger")]
    flow.resume(job)  # the failed activation runs again and now succeeds
    assert JobState.wait_for_completion(flow, job, timeout=10) and job.status == "completed"


def test_continue_and_skip_mark_the_routine_and_go_on(make_flow):
    _, job = run_with(make_flow, ErrorHandler("continue"))
    assert (
        job.status == "completed" and job.get_routine_state("fails")["status"] == "error_continued"
    )
    assert events(job, "fails") == ["start", "error_continued"]
    _, job = run_with(make_flow, ErrorHandler("skip"))
    assert job.status == "completed" and job.get_routine_state("fails")["status"] == "skipped"


def test_retry_delays_grow_with_the_backoff(make_flow):
    handler = ErrorHandler("retry", max_retries=3, retry_delay=0.01, retry_backoff=3.0)
    _, job = run_with(make_flow, handler, times=3)
    assert job.status == "completed"
    retries = [r.data for r in job.get_execution_history("fails") if r.event_name == "retry"]
    assert [r["delay"] for r in retries] == pytest.approx([0.01, 0.03, 0.09])
    assert [r["attempt"] for r in retries] == [0, 1, 2]


def test_retry_delays_are_capped_by_max_delay(make_flow):
    handler = ErrorHandler(
        "retry", max_retries=4, retry_delay=0.01, retry_backoff=10.0, max_delay=0.05
    )
    _, job = run_with(make_flow, handler, times=4)
    assert job.status == "completed"
    retries = [r.data for r in job.get_execution_history("fails") if r.event_name == "retry"]
    assert [r["delay"] for r in retries] == pytest.approx([0.01, 0.05, 0.05, 0.05])


def test_jitter_spreads_retry_delays_around_the_backoff_and_within_the_cap():
    handler = ErrorHandler("retry", retry_delay=1.0, retry_backoff=2.0, jitter=0.5)
    delays = [handler.retry_delay_for(2) for _ in range(300)]
    assert all(1.0 <= d <= 3.0 for d in delays)
    assert min(delays) < 1.5 and max(delays) > 2.5  # spread, not one fixed value
    capped = ErrorHandler("retry", retry_delay=1.0, jitter=1.0, max_delay=0.5)
    assert all(0 <= capped.retry_delay_for(5) <= 0.5 for _ in range(300))


def test_jitter_and_max_delay_round_trip_and_are_checked():
    handler = ErrorHandler("retry", jitter=0.25, max_delay=30.0)
    data = handler.to_dict()
    assert data == {"strategy": "retry", "jitter": 0.25, "max_delay": 30.0}
    again = ErrorHandler.from_dict(data)
    assert (again.jitter, again.max_delay) == (0.25, 30.0)
    with pytest.raises(ValueError, match="jitter must be a number from 0 to 1"):
        ErrorHandler("retry", jitter=2)
    with pytest.raises(FlowSpecError) as caught:
        ErrorHandler.from_dict({"strategy": "retry", "max_delay": -1}, "routines.x.error_handler")
    assert caught.value.problems[0][0] == "routines.x.error_handler"


def test_retry_only_retryable_exceptions(make_flow):
    handler = ErrorHandler(
        "retry", max_retries=3, retry_delay=0.0, retryable_exceptions=(ConnectionError,)
    )
    _, job = run_with(make_flow, handler, error=KeyError)
    assert job.status == "failed"
    assert events(job, "fails") == ["start", "error"]
    assert job.get_execution_history("fails")[1].data["reason"] == "exception is not retryable"


@pytest.mark.parametrize("critical, pending", [(True, 1), (False, 0)])
def test_spent_retries_fail_a_critical_routine_at_once_else_the_routine(
    make_flow, critical, pending
):
    handler = ErrorHandler("retry", max_retries=1, retry_delay=0.0, is_critical=critical)
    _, job = run_with(make_flow, handler, times=5)
    assert job.status == "failed"
    assert job.get_routine_state("fails")["status"] == "failed"
    assert len(job.pending_tasks) == pending  # a critical failure keeps it for a resume


def test_a_handler_timeout_is_an_error_the_strategy_handles(make_flow):
    release = threading.Event()

    class Slow(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=lambda: release.wait(30), timeout=0.05)

    flow = make_flow()
    slow = Slow()
    slow.set_error_handler(ErrorHandler("continue"))
    flow.add_routine(slow, "slow")
    job = flow.run("slow")
    release.set()
    assert job.status == "completed"
    record = job.get_execution_history("slow")[1]
    assert (
        record.event_name == "error_continued"
        and record.data["error_type"] == HandlerTimeoutError.__name__
    )


def test_a_retry_delay_does_not_block_other_jobs(make_flow):
    """While job A waits 30 s to retry, job B runs to completion on the same single worker."""
    flow = make_flow(flow_id="delays")
    fails = Fails(times=1)
    fails.set_error_handler(ErrorHandler("retry", max_retries=1, retry_delay=30.0))
    flow.add_routine(Kick(), "kick")
    flow.add_routine(fails, "fails")
    flow.connect("kick", "go", "fails", "input")
    a = flow.execute("kick")  # Fails runs downstream, on the flow's worker
    assert JobState.wait_until_condition(
        flow, a, lambda f, j: "retry" in events(j, "fails"), timeout=10
    )
    fails.set_error_handler(ErrorHandler("continue"))
    b = flow.execute("kick")  # fails once too, but runs while A waits
    assert JobState.wait_for_completion(flow, b, timeout=10) and b.status == "completed"
    assert a.status == "running" and a.pending_tasks[0]["attempt"] == 1
    assert a.pending_tasks[0]["routine_id"] == "fails"
    flow.cancel(a, "done waiting")
    assert a.status == "cancelled"


def test_an_unknown_strategy_fails_when_the_handler_is_made():
    from routilux import UnknownPluginError

    with pytest.raises(UnknownPluginError, match="did you mean 'retry'"):
        ErrorHandler("retyr")


def test_to_dict_does_not_build_a_default_handler_through_the_registry(routilux_plugin):
    handler = ErrorHandler(strategy="retry", max_retries=5, timeout=2.0)

    class ClashingStop:  # makes a default ErrorHandler() fail: "stop" is registered twice
        @routilux.hookimpl
        def routilux_error_strategies(self):
            return {"stop": lambda error_handler: None}

    routilux_plugin(ClashingStop(), "clashing-stop")
    assert handler.to_dict() == {"strategy": "retry", "max_retries": 5, "timeout": 2.0}
