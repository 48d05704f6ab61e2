"""A Flow's worker threads do not outlive it: a dropped flow's workers exit, and
``with Flow(...) as flow:`` shuts it down."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from routilux import Flow, JobState, Routine

WAIT = 30


class Echo(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: self.emit("out", **kw))
        self.define_slot("input", handler=lambda **kw: None)
        self.define_event("out")


def build(strategy: str, workers: int = 4) -> Flow:
    flow = Flow(flow_id="lifecycle", execution_strategy=strategy, max_workers=workers)
    flow.add_routine(Echo(), "a")
    flow.add_routine(Echo(), "b")
    flow.connect("a", "out", "b", "input")
    return flow


def new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t not in before]


def collect_garbage() -> None:
    """Collect a few times. On free-threaded CPython one
    collection may leave a dropped flow's cycle alive: the references other threads
    dropped are merged into its counts only during that collection."""
    for _ in range(3):
        gc.collect()


def still_alive(threads: list[threading.Thread]) -> list[str]:
    """The names of `threads` still alive after waiting up to WAIT seconds for all."""
    deadline = time.monotonic() + WAIT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [t.name for t in threads if t.is_alive()]


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_dropped_flows_leave_no_worker_threads(strategy):
    """50 x (Flow(...).run(...); del flow): every worker started exits."""
    before = set(threading.enumerate())
    for _ in range(50):
        flow = build(strategy)
        job = flow.run("a", {"x": 1}, timeout=WAIT)
        assert job.status == "completed"
        del flow, job
    collect_garbage()
    assert still_alive(new_threads(before)) == []


def test_a_flow_with_a_running_job_is_kept_alive_until_the_job_ends():
    """Dropping the last reference to a flow does not stop its running jobs."""
    started, release = threading.Event(), threading.Event()

    class Start(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=lambda **kw: self.emit("go"))
            self.define_event("go")

    class Waits(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=self.wait)

        def wait(self, **kw: object) -> None:
            started.set()
            release.wait(WAIT)

    flow = Flow(flow_id="alive", execution_strategy="concurrent", max_workers=2)
    flow.add_routine(Start(), "start")
    flow.add_routine(Waits(), "w")
    flow.connect("start", "go", "w", "input")
    job = flow.execute("start")  # the entry runs here; "w" waits on a worker
    assert started.wait(WAIT)
    del flow
    gc.collect()
    release.set()
    assert JobState.wait_for_completion(None, job, timeout=WAIT)
    assert job.status == "completed"


def test_flow_is_a_context_manager():
    before = set(threading.enumerate())
    with build("concurrent") as flow:
        job = flow.run("a", {"x": 1}, timeout=WAIT)
        started = new_threads(before)
    assert job.status == "completed"
    assert started  # the pool ran
    assert still_alive(started) == []
