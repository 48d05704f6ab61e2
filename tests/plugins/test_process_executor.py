"""The ``processes`` executor: effects come back; timeouts and cancels kill the worker."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import threading
from typing import Any

import pytest
from proc_routines import Exits, Spin, Square

from routilux import ErrorHandler, Flow, JobState, Routine


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _pid_of(pid_file: pathlib.Path) -> int:
    """The pid the Spin handler wrote (it writes it before it starts spinning)."""
    found = threading.Event()
    for _ in range(600):  # up to a minute on a loaded machine
        if pid_file.exists() and pid_file.read_text():
            return int(pid_file.read_text())
        found.wait(0.1)
    raise AssertionError("the handler never started")


def test_effects_of_handlers_in_worker_processes_are_applied(make_flow: Any) -> None:
    flow: Flow = make_flow(execution_strategy="processes", max_workers=2)
    flow.add_routine(Square(), "first")
    flow.add_routine(Square(), "second")
    flow.connect("first", "out", "second", "inp", {"square": "n"})
    job = flow.run("first", {"n": 3}, timeout=120)
    assert job.status == "completed", job.routine_states
    assert job.shared_data == {"square_3": 9, "square_9": 81}
    assert [o["data"]["square"] for o in job.output_log] == [9, 81]
    pids = {r.data["pid"] for r in job.execution_history if r.event_name == "out"}
    assert os.getpid() not in pids


def test_a_handler_past_its_timeout_has_its_process_killed(
    make_flow: Any, tmp_path: pathlib.Path
) -> None:
    flow: Flow = make_flow(execution_strategy="processes", max_workers=1)
    flow.add_routine(Spin(), "spin", error_handler=ErrorHandler(timeout=1))
    flow.add_routine(Square(), "square")
    pid_file = tmp_path / "pid"
    job = flow.run("spin", {"pid_file": str(pid_file)}, timeout=120)
    assert job.status == "failed"
    error = job.get_routine_state("spin")["error"]
    assert "spin.trigger timed out after 1s" in error and "killed" in error
    assert _gone(_pid_of(pid_file))
    # the lane has a fresh process for the next job
    assert flow.run("square", {"n": 2}, timeout=120).status == "completed"


def test_a_timed_out_handler_is_retried_in_a_fresh_process_never_overlapping(
    make_flow: Any, tmp_path: pathlib.Path
) -> None:
    flow: Flow = make_flow(
        execution_strategy="processes", max_workers=2, tolerate_downstream_errors=False
    )  # strict: a `retry` record for each retry
    handler = ErrorHandler(strategy="retry", max_retries=1, retry_delay=0, timeout=1)
    flow.add_routine(Spin(), "spin", error_handler=handler)
    pid_file = tmp_path / "pid"
    job = flow.execute("spin", {"pid_file": str(pid_file)})
    first = _pid_of(pid_file)
    assert JobState.wait_for_completion(flow, job, 120)
    assert job.status == "failed"
    assert [r.event_name for r in job.execution_history].count("retry") == 1
    assert _gone(first) and _gone(_pid_of(pid_file))


def test_cancel_kills_the_process_running_the_jobs_handler(
    make_flow: Any, tmp_path: pathlib.Path
) -> None:
    flow: Flow = make_flow(execution_strategy="processes", max_workers=1)
    flow.add_routine(Spin(), "spin")
    pid_file = tmp_path / "pid"
    job = flow.execute("spin", {"pid_file": str(pid_file)})
    pid = _pid_of(pid_file)
    flow.cancel(job, "enough")
    assert job.status == "cancelled"
    flow.shutdown(wait=True)  # the lane has handled the kill
    assert _gone(pid)


def test_a_worker_that_dies_fails_its_activation(make_flow: Any) -> None:
    flow: Flow = make_flow(execution_strategy="processes", max_workers=1)
    flow.add_routine(Exits(), "exits")
    job = flow.run("exits", timeout=120)
    assert job.status == "failed"
    assert "died (exit code 3)" in job.get_routine_state("exits")["error"]


def test_a_routine_that_cannot_be_pickled_is_refused_before_the_job_starts(
    make_flow: Any,
) -> None:
    class Holds(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.lock = threading.Lock()
            self.define_slot("trigger", lambda: None)

    flow: Flow = make_flow(execution_strategy="processes", max_workers=1)
    flow.add_routine(Holds(), "holds")
    with pytest.raises(TypeError, match="routine 'holds' \\(Holds\\) cannot be sent"):
        flow.execute("holds")


def test_unknown_options_are_refused(make_flow: Any) -> None:
    flow: Flow = make_flow(execution_strategy="processes", executor_options={"lanes": 3})
    flow.add_routine(Square(), "square")
    with pytest.raises(ValueError, match="'start_method'"):
        flow.execute("square", {"n": 1})


def test_async_handlers_are_refused(make_flow: Any) -> None:
    class Async(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)

        async def go(self) -> None:
            pass

    flow: Flow = make_flow(execution_strategy="processes")
    with pytest.raises(TypeError, match="async.trigger"):
        flow.add_routine(Async(), "async")


UNGUARDED_SCRIPT = """
from proc_routines import Square
from routilux import Flow

flow = Flow(flow_id="unguarded", execution_strategy="processes", max_workers=1)
flow.add_routine(Square(), "square")
job = flow.run("square", {"n": 3}, timeout=120)
print("STATUS", job.status)
print("ERROR", job.get_routine_state("square").get("error"))
flow.shutdown()
"""


def run_script(tmp_path: pathlib.Path, text: str) -> subprocess.CompletedProcess[str]:
    """Run `text` as a main script in a fresh interpreter that imports this directory's
    routine modules (as a user's script would, with the processes executor)."""
    script = tmp_path / "script.py"
    script.write_text(text)
    tests_dir = pathlib.Path(__file__).parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tests_dir), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )


def test_a_script_that_runs_flows_when_imported_is_told_to_guard_them(
    tmp_path: pathlib.Path,
) -> None:
    # Worker processes import the main script again: the copy there must not run the
    # job, and the job's error says what to change.
    done = run_script(tmp_path, UNGUARDED_SCRIPT)
    assert done.stdout.count("STATUS") == 1, done.stdout  # the job ran once, in the main process
    assert "STATUS failed" in done.stdout
    error = done.stdout.split("ERROR", 1)[1]
    assert "exited before it was ready" in error and 'if __name__ == "__main__":' in error
    assert "a worker process imported the main script" in done.stderr


SHORT_JOBS_SCRIPT = """
from proc_routines import Square
from routilux import Flow

if __name__ == "__main__":
    for i in range(4):
        flow = Flow(flow_id=f"short{i}", execution_strategy="processes", max_workers=2)
        flow.add_routine(Square(), "square")
        print(flow.run("square", {"n": 3}, timeout=120).status, flush=True)
        flow.shutdown()  # a worker process may still be starting
"""


def test_shutting_down_while_a_worker_starts_prints_nothing(tmp_path: pathlib.Path) -> None:
    done = run_script(tmp_path, SHORT_JOBS_SCRIPT)
    assert done.stdout.split() == ["completed"] * 4, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
