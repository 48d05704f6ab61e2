"""`JobState.current_routine_id` names the run's entry routine, as in routilux 0.10.

0.10 sets it once, when `execute()` starts the job, and never clears it: handlers
downstream, the saved form, a manual pause point and the job after a resume all
show the entry routine's id. Programs print it after a run to say where it started.
"""

from __future__ import annotations

import threading

from routilux import Flow, JobState, Routine

WAIT = 30


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])

    def go(self, **kw: object) -> None:
        self.emit("out", x=1)


class Watcher(Routine):
    """Records what `current_routine_id` says while its handler runs."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str | None] = []
        self.lock = threading.Lock()
        self.define_slot("input", handler=self.look)

    def look(self, x: int) -> None:
        job = self.get_execution_context().job_state
        with self.lock:
            self.seen.append(job.current_routine_id)


def wired() -> tuple[Flow, Watcher]:
    flow = Flow(flow_id="where")
    watcher = Watcher()
    flow.add_routine(Source(), "src")
    flow.add_routine(watcher, "watch")
    flow.connect("src", "out", "watch", "input")
    return flow, watcher


def test_a_new_job_has_no_current_routine():
    assert JobState(flow_id="where").current_routine_id is None


def test_it_is_the_entry_routine_in_handlers_and_after_the_job_ends():
    flow, watcher = wired()
    job = flow.execute("src")
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "completed"
    assert watcher.seen == ["src"]  # a downstream handler sees the entry, not itself
    assert job.current_routine_id == "src"
    assert job.serialize()["current_routine_id"] == "src"
    flow.shutdown()


def test_it_stays_the_entry_routine_through_pause_and_resume():
    flow, _ = wired()
    job = flow.execute("src")
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    flow.pause(job, reason="look")
    assert job.current_routine_id == "src"
    assert job.pause_points[-1]["current_routine_id"] == "src"
    flow.resume(job)
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.current_routine_id == "src"
    loaded = JobState()
    loaded.deserialize(job.serialize())
    assert loaded.current_routine_id == "src"
    flow.shutdown()
