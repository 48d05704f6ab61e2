"""execute() runs the entry routine's trigger handler before it returns (issue 11, item 1).

A program written for routilux 0.10 looks at the job right after ``execute()``: the
entry's failure must already be handled by its error strategy then, while what the
entry emitted runs on the flow's workers.
"""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from routilux import ErrorHandler, ErrorStrategy, JobState, Routine


class Entry(Routine):
    """Emits one item, then fails `fails` times (counted per job in shared data)."""

    def __init__(self, fails: int = 0) -> None:
        super().__init__()
        self.fails = fails
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["n"])

    def go(self, **params: object) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        calls = (ctx.job_state.get_shared_data("calls") or 0) + 1
        ctx.job_state.update_shared_data("calls", calls)
        ctx.job_state.update_shared_data("thread", threading.current_thread().name)
        self.emit("out", n=calls)
        if calls <= self.fails:
            raise RuntimeError(f"entry failed on call {calls}")


class Sink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, n: int) -> None:
        self.send_output("got", n=n, thread=threading.current_thread().name)


def two_step(make_flow, entry: Entry, strategy: str = "sequential"):
    flow = make_flow(flow_id="entry", execution_strategy=strategy)
    flow.add_routine(entry, "entry")
    flow.add_routine(Sink(), "sink")
    flow.connect("entry", "out", "sink", "input")
    return flow


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_the_trigger_runs_in_the_callers_thread_and_downstream_on_workers(make_flow, strategy):
    flow = two_step(make_flow, Entry(), strategy)
    job = flow.execute("entry")
    assert job.get_shared_data("thread") == threading.current_thread().name
    assert job.get_routine_state("entry") == {"status": "completed"}
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    assert job.output_log[0]["data"]["thread"] != threading.current_thread().name


def test_stop_has_failed_the_job_when_execute_returns(make_flow):
    flow = two_step(make_flow, Entry(fails=1))
    job = flow.execute("entry")
    assert job.status == "failed"
    state = job.get_routine_state("entry")
    assert state["status"] == "failed" and state["error"] == "entry failed on call 1"
    # 0.10's keys: the time is local, like every time a JobState shows
    assert datetime.fromisoformat(state["error_time"]) <= datetime.now()
    assert set(state) == {"status", "error", "error_time"}
    record = job.get_execution_history("entry")[-1]
    assert (record.event_name, record.data) == (
        "error",
        {"error": "entry failed on call 1", "error_type": "RuntimeError"},
    )


@pytest.mark.parametrize(
    ("strategy", "routine_status"),
    [(ErrorStrategy.CONTINUE, "error_continued"), (ErrorStrategy.SKIP, "skipped")],
)
def test_continue_and_skip_are_recorded_when_execute_returns(make_flow, strategy, routine_status):
    entry = Entry(fails=1)
    entry.set_error_handler(ErrorHandler(strategy=strategy))
    flow = two_step(make_flow, entry)
    job = flow.execute("entry")
    assert job.get_routine_state("entry")["status"] == routine_status
    assert job.get_routine_state("entry")["error"] == "entry failed on call 1"
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    assert [o["data"]["n"] for o in job.output_log] == [1]  # what it emitted still runs


def test_retries_of_the_entry_run_before_execute_returns(make_flow):
    entry = Entry(fails=2)
    handler = ErrorHandler(strategy="retry", max_retries=3, retry_delay=0.01, retry_backoff=1.0)
    entry.set_error_handler(handler)
    flow = two_step(make_flow, entry)
    job = flow.execute("entry")
    assert job.get_shared_data("calls") == 3  # two failures, then success, all inline
    # as in 0.10, the entry's state says how many retries it took, and how long, and
    # a `completed` record says it was retried (no record for each retry)
    state = job.get_routine_state("entry")
    assert (state["status"], state["retry_count"]) == ("completed", 2)
    assert state["execution_time"] >= 0.02  # two retry delays
    history = job.get_execution_history("entry")
    records = [(r.event_name, r.data.get("retried")) for r in history if r.event_name != "out"]
    assert records == [("start", None), ("completed", True)]
    assert handler.retry_count == 2
    assert flow.get_routine_retry_count("entry") == 2
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    assert sorted(o["data"]["n"] for o in job.output_log) == [1, 2, 3]


def test_spent_retries_of_a_critical_entry_fail_the_job_at_once(make_flow):
    entry = Entry(fails=5)
    entry.set_as_critical(max_retries=2, retry_delay=0.01, retry_backoff=1.0)
    flow = two_step(make_flow, entry)
    job = flow.execute("entry")
    assert job.status == "failed"
    assert job.get_shared_data("calls") == 3


def test_an_entry_without_a_trigger_slot_is_a_failure_of_that_routine(make_flow):
    class NoTrigger(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=lambda: None)

    flow = make_flow(flow_id="no-trigger")
    flow.add_routine(NoTrigger(), "lonely")
    job = flow.execute("lonely")
    assert job.status == "failed"
    error = job.get_routine_state("lonely")["error"]
    assert "'lonely'" in error and "define_slot('trigger'" in error
    # its record names the type 0.10 raised (ours is a subclass of it)
    (record,) = job.get_execution_history("lonely")[1:]
    assert record.data == {"error": error, "error_type": "ValueError"}

    tolerant = NoTrigger()
    tolerant.set_as_optional()
    flow2 = make_flow(flow_id="no-trigger-2")
    flow2.add_routine(tolerant, "lonely")
    job2 = flow2.execute("lonely")
    assert JobState.wait_for_completion(flow2, job2, timeout=30)
    assert (job2.status, job2.get_routine_state("lonely")["status"]) == (
        "completed",
        "error_continued",
    )


def test_routine_states_are_what_handlers_store(make_flow):
    class Counter(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=self.count)

        def count(self, n: int) -> None:
            ctx = self.get_execution_context()
            assert ctx is not None
            ctx.job_state.update_routine_state(ctx.routine_id, {"last": n})

    flow = make_flow(flow_id="states")
    flow.add_routine(Entry(), "entry")
    flow.add_routine(Counter(), "counter")
    flow.add_routine(Sink(), "sink")
    flow.connect("entry", "out", "counter", "input")
    flow.connect("entry", "out", "sink", "input")
    job = flow.execute("entry")
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.get_routine_state("counter") == {"last": 1}  # no engine-added keys
    assert job.get_routine_state("sink") is None  # stored nothing
    assert job.get_routine_state("entry") == {"status": "completed"}
