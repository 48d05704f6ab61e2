"""Flows with a store: when jobs are saved, and resuming them from it."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import threading

import pytest
from store_routines import ARRIVED, GATES, Double, Items

from routilux import Flow, JobState, JobStateError, open_store

FIXTURES = pathlib.Path(__file__).parents[2] / "fixtures"


def items_flow(store, checkpoint="on_finish", flow_id="items"):
    flow = Flow(flow_id=flow_id, store=store, checkpoint=checkpoint)
    flow.add_routine(Items(), "items")
    flow.add_routine(Double(), "double")
    flow.connect("items", "item", "double", "input")
    return flow


def execute_paused(flow, gate_name, count, reason):
    """Execute the items flow and pause the job while its entry handler waits at its
    gate, so that it pauses when the handler returns with items still to double.
    execute() runs the entry handler in this thread: the pause comes from another."""
    GATES[gate_name] = gate = threading.Event()
    ARRIVED[gate_name] = arrived = threading.Event()
    job = JobState(flow_id=flow.flow_id)

    def pause_then_open_the_gate():
        if arrived.wait(30):
            flow.pause(job, reason, wait=False)  # takes effect when the handler returns
        gate.set()

    pauser = threading.Thread(target=pause_then_open_the_gate)
    pauser.start()
    flow.execute("items", {"count": count, "gate": gate_name}, job_state=job)
    pauser.join(30)
    assert arrived.is_set()
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "paused"
    return job


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/jobs.db"


def test_a_job_is_in_the_store_as_running_before_its_first_handler(sqlite_url, make_flow):
    GATES["durable"] = gate = threading.Event()
    ARRIVED.pop("durable", None)
    flow = items_flow(sqlite_url)
    job = JobState(flow_id="items")
    # execute() runs the entry handler in the calling thread: call it from another one
    # and look at the store while the handler waits at its gate
    starter = threading.Thread(
        target=flow.execute,
        args=("items", {"count": 2, "gate": "durable"}),
        kwargs={"job_state": job},
    )
    try:
        starter.start()
        assert ARRIVED.setdefault("durable", threading.Event()).wait(30)
        with open_store(sqlite_url) as other:  # another connection, as another process would
            stored = other.load(job.job_id)
        assert stored.status == "running"
        assert [(t["routine_id"], t["slot"]) for t in stored.pending_tasks] == [
            ("items", "trigger")
        ]
    finally:
        gate.set()
        starter.join(30)
        assert JobState.wait_for_completion(flow, job, timeout=30)
        flow.shutdown()
    assert job.status == "completed"


def test_the_end_of_a_job_is_saved_before_waiters_wake(sqlite_url):
    flow = items_flow(sqlite_url)
    job = flow.execute("items", {"count": 3})
    JobState.wait_for_completion(flow, job, timeout=10)
    with open_store(sqlite_url) as other:
        assert other.load(job.job_id).serialize() == job.serialize()
    flow.shutdown()


def test_on_pause_saves_only_jobs_that_paused(sqlite_url):
    flow = items_flow(sqlite_url, checkpoint="on_pause")
    job = flow.run("items", {"count": 1})
    assert job.status == "completed"
    assert flow.store.list() == []
    flow.shutdown()


def test_resume_by_job_id_loads_from_the_store(sqlite_url):
    flow = items_flow(sqlite_url)
    job = execute_paused(flow, "pause", 2, "later")
    flow.shutdown()

    again = items_flow(sqlite_url)  # as if in a new process
    resumed = again.resume(job.job_id)
    assert JobState.wait_for_completion(again, resumed, timeout=10)
    assert resumed.status == "completed"
    assert again.store.load(job.job_id).status == "completed"
    with pytest.raises(JobStateError):
        again.resume(job.job_id)  # completed jobs do not resume
    again.shutdown()


def test_resume_by_id_without_a_store_says_what_to_do():
    flow = items_flow(None)
    with pytest.raises(JobStateError, match="store"):
        flow.resume("some-job-id")


def test_a_job_written_by_routilux_0_10_loads_and_resumes(tmp_path):
    """tests/fixtures/jobstate_routilux_0.10.0.json: a paused job written by the original
    routilux 0.10.0 (schema version 0), whose deferred event resumes it."""
    from routilux import Routine

    class Ask(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=lambda **kw: None)
            self.define_event("answered", ["question"])

    class Reply(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("input", handler=self.reply)

        def reply(self, question):
            self.send_output("reply", text=f"You asked: {question}")

    data = json.loads((FIXTURES / "jobstate_routilux_0.10.0.json").read_text())
    assert "schema_version" not in data and data["_type"] == "JobState"
    job = JobState.from_dict(data)
    assert (job.status, job.flow_id) == ("paused", "migration_flow")
    assert job.get_shared_data("asked") == "ready?"
    assert job.created_at.tzinfo is None  # shown in local time, as 0.10 wrote it
    assert job.serialize()["created_at"].endswith("+00:00")  # saved in UTC

    flow = Flow(flow_id="migration_flow")
    flow.add_routine(Ask(), "ask")
    flow.add_routine(Reply(), "reply")
    flow.connect("ask", "answered", "reply", "input")
    flow.resume(job)
    assert JobState.wait_for_completion(flow, job, timeout=10)
    assert job.status == "completed"
    assert job.output_log[-1]["data"] == {"text": "You asked: ready?"}
    again = JobState.from_dict(json.loads(json.dumps(job.serialize())))
    assert again.serialize() == job.serialize()
    assert job.routine_counts["reply"] == {"activations": 1, "emits": 0, "errors": 0}
    flow.shutdown()


def test_a_paused_job_resumes_in_another_process(sqlite_url, tmp_path):
    flow = items_flow(sqlite_url)
    job = execute_paused(flow, "proc", 3, "move")
    flow.shutdown()
    script = (
        "import sys; sys.path.insert(0, sys.argv[3])\n"
        "from routilux import Flow, JobState\n"
        "from store_routines import Items, Double\n"
        "flow = Flow(flow_id='items', store=sys.argv[1])\n"
        "flow.add_routine(Items(), 'items'); flow.add_routine(Double(), 'double')\n"
        "flow.connect('items', 'item', 'double', 'input')\n"
        "job = flow.resume(sys.argv[2]); JobState.wait_for_completion(flow, job, 30)\n"
        "print(job.status, job.routine_states)\n"
    )
    here = str(pathlib.Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", script, sqlite_url, job.job_id, here],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "completed", out.stdout
    with open_store(sqlite_url) as store:
        done = store.load(job.job_id)
    assert done.status == "completed"
    assert [r.data["n"] for r in done.get_execution_history("double")] == [0, 2, 4]
