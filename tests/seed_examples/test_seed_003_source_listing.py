"""Seed 003: the original JobState/ExecutionRecord source; its docstring examples.

Examples that print ``job_state.status`` right after ``flow.execute()`` expecting
"completed" use flow.run() here: by 004's transition table execute() returns with the
job running. One wait_until_condition example reads ``flow.get_routine_retry_count``,
which the original Flow lacked; routilux has it (issue 11).
"""

from __future__ import annotations

import pytest

from routilux import ErrorHandler, ExecutionRecord, Flow, JobState, Routine


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("output", ["result", "count"])

    def send(self, **kwargs):
        self.emit("output", result="processed", count=10)


class Validator(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.check)

    def check(self, **kwargs):
        pass


@pytest.fixture
def flow():
    flow = Flow(flow_id="listing")
    flow.add_routine(Source(), "my_routine")
    flow.add_routine(Validator(), "validator")
    flow.connect("my_routine", "output", "validator", "input")
    yield flow
    flow.shutdown()


def test_class_docstring_examples(flow, capsys):
    entry_routine_id, routine_id = "my_routine", "my_routine"
    # Basic usage
    job_state = flow.run(entry_routine_id)
    print(job_state.status)  # "completed" or "failed"
    routine_state = job_state.get_routine_state(routine_id)
    print(routine_state["status"])  # "completed"
    # Query execution history
    history = job_state.get_execution_history()
    for record in history:
        print(f"{record.routine_id} emitted {record.event_name}")
    # Check specific routine
    routine_state = job_state.get_routine_state("my_routine")
    if routine_state and routine_state["status"] == "completed":
        print("Routine completed successfully")
    assert capsys.readouterr().out.splitlines() == [
        "completed",
        "completed",
        "my_routine emitted start",
        "my_routine emitted output",
        "Routine completed successfully",
    ]


def test_routine_state_docstring_examples(capsys):
    job_state = JobState(flow_id="listing")
    job_state.update_routine_state("my_routine", {"status": "completed", "result": "success"})
    job_state.update_routine_state(
        "my_routine", {"status": "failed", "error": "Connection timeout"}
    )
    state = job_state.get_routine_state("my_routine")
    if state and state.get("status") == "completed":
        print("Routine completed successfully")
    job_state.update_routine_state("processor", {"result": 42})
    state = job_state.get_routine_state("processor")
    if state:
        result = state.get("result")
        print(f"Result: {result}")
    job_state.update_routine_state("validator", {"error": "bad input"})
    state = job_state.get_routine_state("validator")
    if state and "error" in state:
        print(f"Error: {state['error']}")
    assert job_state.get_routine_state("unknown") is None
    assert capsys.readouterr().out == "Result: 42\nError: bad input\n"


def test_history_docstring_examples(capsys):
    job_state = JobState(flow_id="listing")
    # Record event emission
    job_state.record_execution("processor", "output", {"result": "processed", "count": 10})
    # Record error continuation
    job_state.record_execution(
        "optional_routine",
        "error_continued",
        {"error": "Service unavailable", "error_type": "ConnectionError"},
    )
    # Get all execution history
    history = job_state.get_execution_history()
    for record in history:
        print(f"{record.timestamp}: {record.routine_id} -> {record.event_name}")
    # Get history for specific routine
    processor_history = job_state.get_execution_history("processor")
    for record in processor_history:
        print(f"Event: {record.event_name}, Data: {record.data}")
    # Find error records
    errors = [r for r in history if "error" in r.event_name]
    print(f"Found {len(errors)} error records")
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(": processor -> output")
    assert out[1].endswith(": optional_routine -> error_continued")
    assert out[2:] == [
        "Event: output, Data: {'result': 'processed', 'count': 10}",
        "Found 1 error records",
    ]
    record = ExecutionRecord("r", "e", None)
    assert record.data == {} and repr(record).startswith("ExecutionRecord[r.e@")


def test_wait_for_completion_docstring_example(flow, capsys):
    job_state = flow.execute("my_routine", {})
    completed = JobState.wait_for_completion(flow, job_state, timeout=300.0)
    if completed:
        print("Execution completed successfully")
    assert capsys.readouterr().out == "Execution completed successfully\n"


def test_wait_until_condition_docstring_examples(capsys):
    class Flaky(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.call)

        def call(self):
            ctx = self.get_execution_context()
            tries = (ctx.job_state.get_routine_state(ctx.routine_id) or {}).get("tries", 0) + 1
            ctx.job_state.update_routine_state(ctx.routine_id, {"tries": tries})
            if tries <= 2:
                raise ConnectionError("not yet")

    flow = Flow(flow_id="waiting")
    flaky = Flaky()
    flaky.set_error_handler(ErrorHandler("retry", max_retries=3, retry_delay=0.01))
    flow.add_routine(flaky, "processor")
    flow.add_routine(Validator(), "validator")
    job_state = flow.execute("processor")

    # Wait until retry count reaches 2
    def condition(flow, job_state):
        retry_count = flow.get_routine_retry_count("processor")
        return retry_count is not None and retry_count >= 2

    assert JobState.wait_until_condition(flow, job_state, condition, timeout=30.0)

    # Wait until a specific routine completes
    def condition(flow, job_state):
        state = job_state.get_routine_state("processor")
        return state is not None and state.get("status") == "completed"

    assert JobState.wait_until_condition(flow, job_state, condition)
    assert job_state.get_routine_state("processor")["tries"] == 3
    flow.wait_for_completion(timeout=10)
    flow.shutdown()
