"""A job resumed the moment its pause (or its end) was waited for: the run that ended
may still be finishing its bookkeeping on a worker, and must not count as running."""

from __future__ import annotations

import threading
import time

from routilux import Flow, JobState, Routine

WAIT = 30


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda: self.emit("out", n=1))
        self.define_event("out", ["n"])


class Gated(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.define_slot("input", handler=self.take)

    def take(self, n: int) -> None:
        self.entered.set()
        self.gate.wait(WAIT)


class SlowForWorkers:
    """The scheduler's lock, taken late by worker threads: it widens the moment between a
    job's waiters waking and its run leaving the scheduler's table (a worker thread
    descheduled there), which no plugin hook reaches."""

    def __init__(self, lock: threading.Lock) -> None:
        self.lock = lock

    def __enter__(self) -> bool:
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.2)
        return self.lock.__enter__()

    def __exit__(self, *exc: object) -> None:
        self.lock.__exit__(*exc)


def test_resume_right_after_pause_wait_is_not_refused_as_running():
    flow = Flow(flow_id="resume-now", execution_strategy="concurrent")
    gated = Gated()
    flow.add_routine(Source(), "src")
    flow.add_routine(gated, "gated")
    flow.connect("src", "out", "gated", "input")
    scheduler = flow.get_scheduler()
    job = flow.execute("src")
    assert gated.entered.wait(WAIT)
    scheduler._lock = SlowForWorkers(scheduler._lock)
    threading.Timer(0.05, gated.gate.set).start()
    flow.pause(job, "now", wait=True)
    assert job.status == "paused"
    resumed = flow.resume(job)  # refused as "already running" while the old run lingered
    scheduler._lock = scheduler._lock.lock
    assert JobState.wait_for_completion(flow, resumed, timeout=WAIT)
    assert resumed.status == "completed"
    flow.shutdown()
