"""Seed 000: "JobState: Execution State Management", first edition.

Every code example of the document, in its order, printing what the document says
(UUIDs, timestamps and thread names aside). Where this edition disagrees with the
newest one (004), the test follows 004 and says so.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from seedkit import Gate, normalize

from routilux import Flow, JobState, Routine


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        self.emit("output", data="test")


class GatedSource(Source):
    """The example's Source, held at a gate so the test controls when it emits.

    execute() runs the trigger handler in the caller's thread (as routilux 0.10), so
    the held part is an idle slot: it runs on the flow's worker right after the
    trigger, and waits there at the gate.
    """

    def __init__(self, gate):
        super().__init__()
        self.gate = gate
        self.define_slot("held", handler=self.release, idle=True)

    def send(self, **kwargs):
        pass

    def release(self):
        self.gate.wait()
        super().send()


@pytest.fixture
def flow():
    flow = Flow(flow_id="my_flow")
    yield flow
    flow.shutdown()


def test_creating_jobstate(flow, capsys):
    """'Creating JobState'. The document prints "Status: completed" right after
    execute(); by 004's transition table execute() returns with the job `running`, so
    the deterministic form of the example is flow.run(), which returns when it ends."""
    source = Source()
    source_id = flow.add_routine(source, "source")

    # Execute returns a JobState
    job_state = flow.run(source_id)

    print(f"Job ID: {job_state.job_id}")
    print(f"Status: {job_state.status}")
    print(f"Flow ID: {job_state.flow_id}")
    assert (
        normalize(capsys.readouterr().out) == "Job ID: <UUID>\nStatus: completed\nFlow ID: my_flow"
    )


def test_multiple_independent_executions(flow, capsys):
    """'Multiple Independent Executions' (no output given; each job has its own history)."""
    source_id = flow.add_routine(Source(), "source")
    job_state1 = flow.execute(source_id, entry_params={"value": "A"})
    job_state2 = flow.execute(source_id, entry_params={"value": "B"})
    job_state3 = flow.execute(source_id, entry_params={"value": "C"})

    # Each execution has its own JobState
    assert job_state1.job_id != job_state2.job_id
    assert job_state2.job_id != job_state3.job_id
    assert job_state1 is not job_state2  # Different objects

    flow.wait_for_completion(timeout=5.0)  # added: the counts below are final ones
    print(f"Execution 1 history: {len(job_state1.execution_history)} records")
    print(f"Execution 2 history: {len(job_state2.execution_history)} records")
    print(f"Execution 3 history: {len(job_state3.execution_history)} records")
    assert capsys.readouterr().out.splitlines() == [
        f"Execution {n} history: 2 records" for n in (1, 2, 3)
    ]
    assert [r.data for r in job_state2.get_execution_history() if r.event_name == "start"] == [
        {"value": "B"}
    ]


def test_accessing_execution_history(flow, capsys):
    """'Accessing Execution History'. The document prints "Total records: 3" and
    "Source records: 2" for one routine's job and lists a trailing ``source -> completed``
    record: it contradicts itself. We follow its "Source records: 2", the tutorial (002:
    "Execution records: 2") and routilux 0.10, which records no such ending: the start
    record and one record per emitted event."""
    source_id = flow.add_routine(Source(), "source")
    job_state = flow.run(source_id)  # run(): the history is complete when we print it

    # Get all execution records
    all_records = job_state.execution_history
    print(f"Total records: {len(all_records)}")

    # Get records for a specific routine
    source_records = job_state.get_execution_history("source")
    print(f"Source records: {len(source_records)}")

    # Iterate through records
    for record in job_state.execution_history:
        print(f"{record.timestamp}: {record.routine_id} -> {record.event_name}")
        print(f"  Data: {record.data}")
    assert normalize(capsys.readouterr().out) == normalize(
        """Total records: 2
Source records: 2
<TIME>: source -> start
  Data: {}
<TIME>: source -> output
  Data: {'data': 'test'}"""
    )


def test_accessing_routine_states(flow, capsys):
    """'Accessing Routine States' (no output given)."""
    source_id = flow.add_routine(Source(), "source")
    job_state = flow.run(source_id)

    # Get state for a specific routine
    source_state = job_state.get_routine_state("source")
    if source_state:
        print(f"Source status: {source_state.get('status')}")
        print(f"Source metadata: {source_state}")

    # Update routine state (typically done by error handlers)
    job_state.update_routine_state(
        "source", {"status": "completed", "execution_time": 0.5, "custom_field": "value"}
    )

    # Get updated state
    updated_state = job_state.get_routine_state("source")
    print(f"Updated state: {updated_state}")
    assert capsys.readouterr().out.splitlines() == [
        "Source status: completed",
        "Source metadata: {'status': 'completed'}",
        "Updated state: {'status': 'completed', 'execution_time': 0.5, 'custom_field': 'value'}",
    ]


def test_status_transitions(flow, capsys):
    """'JobState Status': "running" right after execute(), "completed" after waiting.
    The source waits at a gate until the first print, so "running" is not a race."""
    gate = Gate()
    source_id = flow.add_routine(GatedSource(gate), "source")
    job_state = flow.execute(source_id)

    # Status starts as "running"
    print(f"Initial status: {job_state.status}")  # "running"
    gate.opened.set()

    # Wait for completion
    flow.wait_for_completion(timeout=5.0)

    # Status becomes "completed" or "failed"
    print(f"Final status: {job_state.status}")  # "completed" or "failed"
    assert capsys.readouterr().out.splitlines() == [
        "Initial status: running",
        "Final status: completed",
    ]


def test_pause_resume_and_cancel(flow):
    """'Pause, Resume, and Cancel'. The source waits at a gate opened from another
    thread: pause() waits for the running handler, so the pause lands while the job runs
    (with a one-routine flow that finishes at once, pausing after execute() is a race)."""
    gate = Gate()
    source_id = flow.add_routine(GatedSource(gate), "source")

    # Execute
    job_state = flow.execute(source_id)
    assert gate.entered.wait(10)
    gate.open_later()

    # Pause execution (requires JobState)
    flow.pause(job_state, reason="Manual pause for inspection")

    # Check status
    assert job_state.status == "paused"

    # Resume execution (returns new JobState for resumed execution)
    resumed_job_state = flow.resume(job_state)

    # Wait for completion
    flow.wait_for_completion(timeout=5.0)
    assert resumed_job_state.status == "completed"

    # Cancel execution (if needed)
    gate.opened.clear()
    another_job_state = flow.execute(source_id)
    flow.cancel(another_job_state, reason="No longer needed")
    assert another_job_state.status == "cancelled"
    gate.opened.set()


def test_serialization_and_persistence(flow):
    """'Serialization and Persistence' (in a temporary directory)."""
    gate = Gate()
    source_id = flow.add_routine(GatedSource(gate), "source")

    # Execute and pause
    job_state = flow.execute(source_id)
    assert gate.entered.wait(10)
    gate.open_later()
    flow.pause(job_state, reason="Save for later")

    # Serialize JobState
    job_state_data = job_state.serialize()

    # Save to file
    with open("job_state.json", "w") as f:
        json.dump(job_state_data, f, indent=2)

    # Later: Load and deserialize
    with open("job_state.json") as f:
        loaded_data = json.load(f)

    new_job_state = JobState()
    new_job_state.deserialize(loaded_data)

    # Resume execution
    resumed = flow.resume(new_job_state)
    assert JobState.wait_for_completion(flow, resumed, timeout=5)
    assert resumed.status == "completed"
    assert resumed.job_id == job_state.job_id


def test_thread_safety_and_concurrent_execution(flow):
    """'Thread Safety and Concurrent Execution': executions from two threads."""
    source_id = flow.add_routine(Source(), "source")
    results = {}

    def run_execution(flow, entry_id, value):
        job_state = flow.execute(entry_id, entry_params={"value": value})
        results[value] = job_state  # added: keep them to check isolation
        return job_state

    # Run concurrent executions
    thread1 = threading.Thread(target=run_execution, args=(flow, source_id, "A"))
    thread2 = threading.Thread(target=run_execution, args=(flow, source_id, "B"))

    thread1.start()
    thread2.start()

    thread1.join()
    thread2.join()

    # Each thread has its own JobState
    # No interference between executions
    flow.wait_for_completion(timeout=5)
    assert results["A"].job_id != results["B"].job_id
    for value, job in results.items():
        starts = [r.data for r in job.execution_history if r.event_name == "start"]
        assert starts == [{"value": value}]


def test_best_practices(flow, capsys):
    """'Best Practices' 1-4, with stand-ins for save_to_database and send_to_host_b."""
    database = []
    save_to_database = database.append
    source_id = flow.add_routine(Source(), "source")

    # 1. Store JobState for Recovery
    job_state = flow.execute(source_id)
    job_state_data = job_state.serialize()
    save_to_database(job_state_data)
    assert database[0]["job_id"] == job_state.job_id

    # 2. Use JobState for Status Monitoring
    job_state = flow.execute(source_id)
    while job_state.status == "running":
        time.sleep(0.1)
        # Status is updated automatically
    if job_state.status == "completed":
        print("Execution successful!")
    elif job_state.status == "failed":
        print("Execution failed!")
    assert capsys.readouterr().out == "Execution successful!\n"

    # 3. Independent Execution Management
    executions = []
    for i in range(10):
        job_state = flow.execute(source_id, entry_params={"batch": i})
        executions.append(job_state)
    for job_state in executions:
        if job_state.status == "paused":
            flow.resume(job_state)
    flow.wait_for_completion(timeout=5)
    assert {j.status for j in executions} == {"completed"}

    # 4. Cross-Host Execution
    hosts = {}

    def send_to_host_b(flow_data, job_state_data):
        hosts["b"] = json.loads(json.dumps([flow_data, job_state_data]))  # over the wire

    gate = Gate()
    gated = Flow(flow_id="my_flow")
    gated_id = gated.add_routine(GatedSource(gate), "source")
    job_state = gated.execute(gated_id)
    assert gate.entered.wait(10)
    gate.open_later()
    gated.pause(job_state, reason="Transfer to Host B")

    flow_data = flow.serialize()  # the ungated flow of the same id stands for host B's code
    job_state_data = job_state.serialize()
    send_to_host_b(flow_data, job_state_data)

    # Host B: Deserialize and resume
    flow_data, job_state_data = hosts["b"]
    new_flow = Flow()
    new_flow.deserialize(flow_data)
    new_job_state = JobState()
    new_job_state.deserialize(job_state_data)
    resumed = new_flow.resume(new_job_state)
    assert JobState.wait_for_completion(new_flow, resumed, timeout=5)
    assert resumed.status == "completed"
    gated.shutdown()
    new_flow.shutdown()


def test_common_pitfalls(flow):
    """'Common Pitfalls' 1-4."""
    source_id = flow.add_routine(Source(), "source")
    # 1. Flow doesn't have job_state
    with pytest.raises(AttributeError):
        flow.job_state.status  # noqa: B018
    job_state = flow.execute(source_id)
    assert job_state.status in ("running", "completed")
    # 2. / 4. Each execute() creates a new JobState
    job_state1 = flow.execute(source_id)
    job_state2 = flow.execute(source_id)
    assert job_state1 is not job_state2 and job_state1.job_id != job_state2.job_id
    # 3. Flow serialization doesn't include JobState
    flow_data = flow.serialize()
    assert job_state1.job_id not in json.dumps(flow_data)
    assert "execution_history" not in json.dumps(flow_data)
    flow.wait_for_completion(timeout=5)
