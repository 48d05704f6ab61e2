"""The dask executor on a LocalCluster with 2 worker processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from dask_routines import DieOnce, HoldsALock, Numbers, Sleeps, Square, tutorial_flow
from routilux_dask import UnpicklableRoutineError

from routilux import ErrorHandler, Flow, JobState


def squares_flow(strategy, **options):
    flow = Flow(flow_id="squares", execution_strategy=strategy, executor_options=options)
    flow.add_routine(Numbers(), "numbers")
    flow.add_routine(Square(), "square")
    flow.connect("numbers", "n", "square", "input")
    return flow


def test_handlers_run_in_the_worker_processes(dask_options):
    flow = squares_flow("dask", **dask_options)
    job = flow.execute("numbers", {"count": 6})
    assert JobState.wait_for_completion(flow, job, timeout=60)
    assert job.status == "completed"
    assert sorted(o["data"]["square"] for o in job.output_log) == [0, 1, 4, 9, 16, 25]
    pids = {entry["pid"] for entry in job.get_shared_log()}
    assert os.getpid() not in pids  # no handler ran in the coordinator
    flow.shutdown()


def comparable(job):
    """A JobState's content without ids, timestamps and process ids."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("timestamp", "pid")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data = job.serialize()
    return strip(
        {
            k: data.get(k, {})  # serialize() leaves out an empty slot_buffers
            for k in (
                "status",
                "execution_history",
                "routine_states",
                "shared_data",
                "shared_log",
                "output_log",
                "slot_buffers",
            )
        }
    )


@pytest.mark.parametrize("count", [1, 5])
def test_same_jobstate_as_the_threads_executor(dask_options, count):
    """History content, routine states, shared data and outputs match `threads` (one
    activation in flight on both, so the order is the same)."""
    results = []
    for strategy, options in (("threads", {}), ("dask", {**dask_options, "max_in_flight": 1})):
        flow = Flow(
            flow_id="same", execution_strategy=strategy, max_workers=1, executor_options=options
        )
        flow.add_routine(Numbers(), "numbers")
        flow.add_routine(Square(), "square")
        flow.connect("numbers", "n", "square", "input")
        job = flow.execute("numbers", {"count": count})
        assert JobState.wait_for_completion(flow, job, timeout=60)
        results.append(comparable(job))
        flow.shutdown()
    threads, dask = results
    assert dask == threads


@pytest.mark.parametrize("step", [2, 3, 5])
def test_the_seed_tutorial_flows_give_the_same_jobstate_as_threads(dask_options, step):
    """The tutorial's steps 2, 3 and 5 (state, shared data and log, validation and
    aggregation) end in the same JobState on Dask as on threads."""
    results = []
    for strategy, options in (("threads", {}), ("dask", {**dask_options, "max_in_flight": 1})):
        flow = Flow(
            flow_id=f"tutorial-{step}",
            execution_strategy=strategy,
            max_workers=1,
            executor_options=options,
        )
        entry, params = tutorial_flow(step, flow)
        job = flow.execute(entry, params)
        assert JobState.wait_for_completion(flow, job, timeout=60)
        assert job.status == "completed"
        results.append(comparable(job))
        flow.shutdown()
    threads, dask = results
    assert dask == threads


def test_an_unpicklable_routine_fails_at_execute_naming_it(dask_options):
    flow = Flow(flow_id="locked", execution_strategy="dask", executor_options=dask_options)
    flow.add_routine(HoldsALock(), "holder")
    with pytest.raises(UnpicklableRoutineError) as caught:
        flow.execute("holder")
    assert "routine 'holder'" in str(caught.value) and "attribute 'lock'" in str(caught.value)
    flow.shutdown()


def test_a_worker_killed_mid_activation_is_retried(dask_options, tmp_path):
    flow = Flow(
        flow_id="killed",
        execution_strategy="dask",
        executor_options=dask_options,
        tolerate_downstream_errors=False,  # strict: each retry is recorded
    )
    flow.add_routine(Numbers(), "numbers")
    dies = DieOnce()
    dies.set_config(marker=str(tmp_path / "died"))
    dies.set_error_handler(ErrorHandler("retry", max_retries=2, retry_delay=0.1))
    flow.add_routine(dies, "dies")
    flow.connect("numbers", "n", "dies", "input")
    job = flow.execute("numbers", {"count": 1})
    assert JobState.wait_for_completion(flow, job, timeout=120)
    assert job.status == "completed"
    retries = [r for r in job.get_execution_history("dies") if r.event_name == "retry"]
    assert len(retries) == 1 and retries[0].data["error_type"] == "KilledWorker"
    assert [r.data for r in job.get_execution_history("dies") if r.event_name == "done"] == [
        {"n": 0}
    ]
    flow.shutdown()


def test_pause_on_dask_then_finish_on_threads_in_a_new_process(dask_options, tmp_path):
    """A job paused on a Dask run is saved to SQLite, loaded by a new process, and
    finished there on the threads executor."""
    url = f"sqlite:///{tmp_path}/jobs.db"
    flow = squares_flow("dask", **dask_options)
    flow.set_store(url)
    job = flow.execute("numbers", {"count": 4})
    flow.pause(job, "move to threads")
    assert job.status == "paused"
    flow.shutdown()
    script = f"""
import sys; sys.path.insert(0, {os.path.dirname(__file__)!r})
from dask_routines import Numbers, Square
from routilux import Flow, JobState
flow = Flow(flow_id="squares", execution_strategy="threads", store={url!r})
flow.add_routine(Numbers(), "numbers"); flow.add_routine(Square(), "square")
flow.connect("numbers", "n", "square", "input")
job = flow.resume({job.job_id!r})
JobState.wait_for_completion(flow, job, timeout=60)
print(job.status, sorted(o["data"]["square"] for o in job.output_log))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "completed [0, 1, 4, 9]"


def test_a_handler_past_its_timeout_fails_its_job(dask_options):
    flow = Flow(flow_id="sleeps", execution_strategy="dask", executor_options=dask_options)
    flow.add_routine(Sleeps(), "sleeps")
    job = flow.run("sleeps", {"seconds": 5}, timeout=120)
    assert job.status == "failed"
    assert "sleeps.trigger timed out after 0.5s" in job.get_routine_state("sleeps")["error"]
    flow.shutdown()
