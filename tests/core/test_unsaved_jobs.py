"""A job run by a flow without a store hands its own values to its handlers (as routilux
0.10 did): what that must not break, and where it stops when a store takes the job."""

from __future__ import annotations

import threading

import pytest

from routilux import Flow, JobState, NotSerializableError, Routine

WAIT = 60


class InPlace(Routine):
    """Changes the state and shared data it was handed, in place, until told to stop."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.stop = threading.Event()
        self.define_slot("trigger", handler=self.churn)

    def churn(self) -> None:
        ctx = self.get_execution_context()
        job = ctx.job_state
        job.update_routine_state(ctx.routine_id, {"n": 0})
        job.update_shared_data("table", {})
        state, table = job.get_routine_state(ctx.routine_id), job.get_shared_data("table")
        self.started.set()
        i = 0
        while not self.stop.is_set():
            i += 1
            state[f"k{i % 50}"] = i
            table[i % 64] = [i]
            if i % 64 == 0:
                table.clear()
                state.clear()


def test_a_running_unsaved_job_serializes_while_its_handler_changes_its_values():
    churn = InPlace()
    flow = Flow(flow_id="race")
    flow.add_routine(churn, "churn")
    job = JobState(flow_id="race")
    # execute() runs the entry handler in the calling thread: call it from another one
    runner = threading.Thread(target=flow.execute, args=("churn",), kwargs={"job_state": job})
    runner.start()
    try:
        assert churn.started.wait(WAIT)
        for _ in range(300):  # each a consistent copy, never "changed size during iteration"
            document = job.serialize()
            assert set(document["routine_states"]["churn"]) <= {"n"} | {f"k{i}" for i in range(50)}
    finally:
        churn.stop.set()
        runner.join(WAIT)
    assert JobState.wait_for_completion(flow, job, timeout=WAIT) and job.status == "completed"
    flow.shutdown()


def test_resuming_an_unsaved_job_where_it_is_saved_checks_all_it_holds(tmp_path):
    class Odd(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_event("out", ["x"])

        def go(self) -> None:
            self.emit("out", x={1, 2})  # a set: fine in a job that is never saved
            ctx = self.get_execution_context()
            ctx.flow.pause(ctx.job_state, reason="later")

    class Sink(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=lambda x: None)

    def build() -> Flow:
        flow = Flow(flow_id="odd")
        flow.add_routine(Odd(), "odd")
        flow.add_routine(Sink(), "sink")
        flow.connect("odd", "out", "sink", "input")
        return flow

    unsaved = build()
    job = unsaved.execute("odd")
    assert JobState.wait_for_completion(unsaved, job, timeout=WAIT) and job.status == "paused"
    saved = build()
    saved.set_store(f"sqlite:///{tmp_path / 'jobs.db'}")
    with pytest.raises(
        NotSerializableError, match=r"\['execution_history'\]\[1\]\['data'\]\['x'\]"
    ):
        saved.resume(job)
    assert job.status == "paused"  # untouched, and resumable where it is not saved
    again = unsaved.resume(job)
    assert JobState.wait_for_completion(unsaved, again, timeout=WAIT)
    assert again.status == "completed"
    for flow in (unsaved, saved):
        flow.shutdown()


def test_a_store_set_while_an_unsaved_job_runs_does_not_save_that_job(tmp_path):
    gate = threading.Event()

    class Waits(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_event("out", ["n"])

        def go(self) -> None:
            self.emit("out", n=1)

    class Slow(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=self.take)

        def take(self, n: int) -> None:
            assert gate.wait(WAIT)

    flow = Flow(flow_id="late-store")
    flow.add_routine(Waits(), "waits")
    flow.add_routine(Slow(), "slow")
    flow.connect("waits", "out", "slow", "input")
    job = flow.execute("waits")
    flow.set_store(f"sqlite:///{tmp_path / 'jobs.db'}")
    gate.set()
    assert JobState.wait_for_completion(flow, job, timeout=WAIT) and job.status == "completed"
    assert flow.store.list() == []  # the store is for later runs
    flow.shutdown()
