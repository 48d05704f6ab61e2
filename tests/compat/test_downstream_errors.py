"""A downstream handler's exception, in a flow built in Python, is recorded and tolerated
(routilux 0.10's rule, which the JobState guide states: "slot handler errors are logged to
execution history but are tolerated"); flows built from specs fail the job instead.

Downstream means any activation but the entry routine's ``trigger``: only the routine's
own error handler covers it there, and only its STOP (0.10 recorded the error and went
on whatever else the handler said); the flow's handler covers the entry.
"""

from __future__ import annotations

import pytest

from routilux import ErrorHandler, Flow, JobState, Routine
from routilux.routine import class_key

WAIT = 30.0


class Fan(Routine):
    """Its trigger emits once on ``first`` then once on ``second``."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("first", ["x"])
        self.define_event("second", ["x"])

    def go(self, **params: object) -> None:
        self.emit("first", x=1)
        self.emit("second", x=2)


class Broken(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.fail)
        self.define_event("out", ["x"])
        self.calls: list[int] = []

    def fail(self, x: int) -> None:
        self.calls.append(x)
        raise RuntimeError(f"broken on {x}")


class Keep(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.keep)

    def keep(self, x: int) -> None:
        self.send_output("kept", x=x)


def fan_flow(make_flow, **kwargs) -> Flow:
    """fan.first -> broken -> after; fan.second -> keep (a sibling branch)."""
    flow = make_flow(flow_id="fan", execution_strategy="sequential", **kwargs)
    flow.add_routine(Fan(), "fan")
    flow.add_routine(Broken(), "broken")
    flow.add_routine(Keep(), "after")
    flow.add_routine(Keep(), "keep")
    flow.connect("fan", "first", "broken", "input")
    flow.connect("broken", "out", "after", "input")
    flow.connect("fan", "second", "keep", "input")
    return flow


def finished(flow: Flow) -> JobState:
    job = flow.execute("fan")
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    return job


def kept(job: JobState) -> list[tuple[str, object]]:
    return [(entry["routine_id"], entry["data"]["x"]) for entry in job.output_log]


def test_without_a_handler_the_error_is_recorded_and_the_job_completes(make_flow):
    job = finished(fan_flow(make_flow))
    assert job.status == "completed"
    assert job.get_routine_state("broken") is None  # untouched, as 0.10 left it
    errors = [r for r in job.get_execution_history("broken") if r.event_name == "error"]
    assert [r.data for r in errors] == [{"slot": "input", "error": "broken on 1"}]
    assert kept(job) == [("keep", 2)]  # the sibling branch ran; nothing reached `after`


@pytest.mark.parametrize("strategy", ["stop", "retry"])
def test_the_flows_handler_covers_the_entry_only(make_flow, strategy):
    flow = fan_flow(make_flow, error_handler=ErrorHandler(strategy=strategy, retry_delay=0))
    job = finished(flow)
    assert job.status == "completed"
    assert job.get_routine_state("broken") is None
    assert [r.event_name for r in job.get_execution_history("broken")] == ["error"]


def test_the_routines_own_stop_marks_it_failed_and_the_job_fails_after_the_rest(make_flow):
    flow = fan_flow(make_flow)
    flow.routines["broken"].set_error_handler(ErrorHandler(strategy="stop"))
    job = finished(flow)
    assert job.status == "failed"
    state = job.get_routine_state("broken")
    assert (state["status"], state["error"]) == ("failed", "broken on 1")
    assert kept(job) == [("keep", 2)]  # STOP did not cut the sibling branch short


@pytest.mark.parametrize("strategy", ["continue", "skip", "retry"])
def test_the_routines_own_continue_skip_and_retry_only_record_the_error(make_flow, strategy):
    flow = fan_flow(make_flow)
    broken = flow.routines["broken"]
    broken.set_error_handler(ErrorHandler(strategy=strategy, retry_delay=0))
    job = finished(flow)
    assert job.status == "completed"
    assert broken.calls == [1]  # never retried, as in 0.10
    assert job.get_routine_state("broken") is None
    records = [(r.event_name, r.data) for r in job.get_execution_history("broken")]
    assert records == [("error", {"slot": "input", "error": "broken on 1"})]


def test_a_strict_flows_retry_retries_a_downstream_handler(make_flow):
    flow = fan_flow(make_flow, tolerate_downstream_errors=False)
    flow.routines["broken"].set_error_handler(
        ErrorHandler(strategy="retry", max_retries=2, retry_delay=0)
    )
    job = finished(flow)
    retries = [r for r in job.get_execution_history("broken") if r.event_name == "retry"]
    assert len(retries) == 2
    assert job.status == "failed"  # retries spent: the routine failed


def test_the_entry_trigger_still_fails_the_job(make_flow):
    class BadEntry(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.fail)

        def fail(self) -> None:
            raise RuntimeError("entry broke")

    flow = make_flow(flow_id="entry")
    flow.add_routine(BadEntry(), "entry")
    job = flow.execute("entry")
    assert job.status == "failed"
    assert job.get_routine_state("entry")["status"] == "failed"


def test_a_strict_flow_fails_the_job(make_flow):
    job = finished(fan_flow(make_flow, tolerate_downstream_errors=False))
    assert job.status == "failed"
    assert job.get_routine_state("broken")["status"] == "failed"


def test_flows_from_specs_are_strict():
    spec = {
        "flow_id": "fan",
        "routines": {
            "fan": {"class": class_key(Fan)},
            "broken": {"class": class_key(Broken)},
        },
        "connections": [{"from": "fan.first", "to": "broken.input"}],
    }
    flow = Flow.from_spec(spec)
    try:
        assert flow.tolerate_downstream_errors is False
        job = flow.run("fan", timeout=WAIT)
        assert job.status == "failed"
        assert job.get_routine_state("broken")["error"] == "broken on 1"
    finally:
        flow.shutdown()
    assert Flow().tolerate_downstream_errors is True


def test_a_later_success_of_the_routine_does_not_clear_its_failure(make_flow):
    class FailsOnOne(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=self.take)

        def take(self, x: int) -> None:
            if x == 1:
                raise RuntimeError("one")

    class Two(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_event("out", ["x"])

        def go(self) -> None:
            self.emit("out", x=1)
            self.emit("out", x=2)  # succeeds after the failure of x == 1

    for strict in (False, True):
        flow = make_flow(flow_id="later", tolerate_downstream_errors=not strict)
        flow.add_routine(Two(), "two")
        handler = (
            ErrorHandler(strategy="retry", max_retries=1, retry_delay=0)
            if strict  # spent retries mark the routine failed and let the rest run too
            else ErrorHandler(strategy="stop")
        )
        flow.add_routine(FailsOnOne(), "check", error_handler=handler)
        flow.connect("two", "out", "check", "input")
        job = flow.run("two", timeout=WAIT)
        assert job.status == "failed", strict
        assert job.get_routine_state("check")["status"] == "failed"
