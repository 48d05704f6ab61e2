"""Flow options of routilux 0.10 (issue 11, items 4, 6 and 7)."""

from __future__ import annotations

import pytest

from routilux import (
    ErrorHandler,
    Flow,
    InvalidExecutionStrategyError,
    JobState,
    Routine,
    RoutineNotFoundError,
)
from routilux.errors import message_with_notes


class One(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda: self.emit("out"))
        self.define_event("out")


def test_execution_timeout_defaults_to_300_seconds_and_can_be_set():
    assert Flow(flow_id="a").execution_timeout == 300.0
    assert Flow("b", "concurrent", 3, 12.5).execution_timeout == 12.5
    assert Flow(flow_id="c", execution_timeout=7).execution_timeout == 7


@pytest.mark.parametrize(
    "make_bad",
    [
        lambda: Flow(flow_id="x", execution_strategy="parallel"),
        lambda: Flow(flow_id="x").set_execution_strategy("parallel"),
        lambda: Flow(flow_id="x").execute("one", execution_strategy="parallel"),
    ],
)
def test_an_unknown_strategy_is_a_value_error_naming_it_in_0_10_words(make_bad):
    with pytest.raises(InvalidExecutionStrategyError) as info:
        make_bad()
    assert isinstance(info.value, ValueError)
    assert type(info.value).__name__ == "ValueError"  # what 0.10's programs print
    assert str(info.value) == (
        "Invalid execution strategy: parallel. Must be 'sequential' or 'concurrent'"
    )
    assert "registered executor" in message_with_notes(info.value)  # what else it may be


def test_per_run_options_are_accepted(make_flow):
    flow = make_flow(flow_id="per-run")
    flow.add_routine(One(), "one")
    job = flow.execute("one", None, "concurrent", 5.0)
    assert JobState.wait_for_completion(flow, job, timeout=30) and job.status == "completed"


def test_the_strategy_can_change_between_jobs(make_flow):
    flow = make_flow(flow_id="switch")
    flow.add_routine(One(), "one")
    first = flow.run("one")
    flow.set_execution_strategy("concurrent", max_workers=4)
    second = flow.execute("one")
    assert JobState.wait_for_completion(flow, second, timeout=30)
    assert (first.status, second.status, flow.max_workers) == ("completed", "completed", 4)


def test_flow_wait_for_completion_still_works_and_is_deprecated(make_flow):
    flow = make_flow(flow_id="old-wait")
    flow.add_routine(One(), "one")
    job = flow.execute("one")
    with pytest.deprecated_call():
        assert flow.wait_for_completion(timeout=30)
    with pytest.deprecated_call():
        assert flow.wait_for_completion(timeout=30, job_state=job)
    assert job.status == "completed"


def test_resume_refuses_jobs_it_cannot_continue(make_flow):
    flow = make_flow(flow_id="resume")
    flow.add_routine(One(), "one")
    done = flow.run("one")
    with pytest.raises(ValueError, match="completed"):
        flow.resume(done)
    with pytest.raises(ValueError, match="pending"):
        flow.resume(JobState(flow_id="resume"))
    paused = JobState(flow_id="resume")
    paused.deserialize({**done.serialize(), "status": "paused", "current_routine_id": "gone"})
    with pytest.raises(RoutineNotFoundError, match="'gone'"):
        flow.resume(paused)


def test_error_handler_counts_retries_until_reset():
    handler = ErrorHandler(strategy="retry", max_retries=2)
    assert handler.retry_count == 0
    handler.note_retry()
    assert handler.retry_count == 1
    handler.reset()
    assert handler.retry_count == 0


def test_retry_count_of_a_routine_without_handler_is_zero(make_flow):
    flow = make_flow(flow_id="count")
    flow.add_routine(One(), "one")
    assert flow.get_routine_retry_count("one") == 0
    with pytest.raises(RoutineNotFoundError):
        flow.get_routine_retry_count("nope")


def test_a_sequential_flow_reports_one_worker_like_0_10():
    assert Flow(flow_id="s").max_workers == 1
    assert Flow(flow_id="c", execution_strategy="concurrent").max_workers == 5
    flow = Flow(flow_id="switch", execution_strategy="concurrent", max_workers=8)
    flow.set_execution_strategy("sequential")
    assert flow.max_workers == 1
    flow.set_execution_strategy("concurrent")
    assert flow.max_workers == 5


def test_pause_keeps_the_checkpoint_data_it_is_given(make_flow):
    import threading

    gate = threading.Event()

    class Hold(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=lambda: gate.wait(30))

    flow = make_flow(flow_id="checkpoint")
    flow.add_routine(One(), "one")
    flow.add_routine(Hold(), "hold")
    flow.connect("one", "out", "hold", "input")
    job = flow.execute("one")
    threading.Timer(0.1, gate.set).start()
    flow.pause(job, reason="hold", checkpoint={"step": 1})
    assert job.status == "paused"
    assert job.pause_points[-1]["checkpoint"] == {"step": 1}
    flow.resume(job)
    assert JobState.wait_for_completion(flow, job, timeout=30) and job.status == "completed"


def test_job_statuses_print_like_0_10s_strings_inside_containers(make_flow):
    flow = make_flow(flow_id="print")
    flow.add_routine(One(), "one")
    jobs = [flow.run("one") for _ in range(2)]
    assert repr([job.status for job in jobs]) == "['completed', 'completed']"
    assert str(jobs[0].status) == "completed" and jobs[0].status == "completed"


def test_wait_for_completion_reports_progress_as_0_10_did(make_flow):
    import threading

    gate = threading.Event()

    class Source(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=lambda: self.emit("out", n=1))
            self.define_event("out", ["n"])

    class Slow(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("input", handler=lambda n: gate.wait(30))

    flow = make_flow(flow_id="progress")
    flow.add_routine(Source(), "s")
    flow.add_routine(Slow(), "w")
    flow.connect("s", "out", "w", "input")
    calls = []

    def progress(queued, running, status):
        calls.append((queued, running, status))
        gate.set()  # the job may finish now

    job = flow.execute("s")
    assert JobState.wait_for_completion(flow, job, timeout=30, progress_callback=progress)
    assert job.status == "completed"
    assert calls and all(
        isinstance(q, int) and isinstance(r, int) and status == "running" for q, r, status in calls
    )
