"""A process that loses a running job's claim (its lease ended before a renewal and
another owner took the job) stops running that job: one owner per job, also after a stall.
"""

from __future__ import annotations

import sqlite3
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
    """Waits until released, then passes its item on (refused if the job was stopped)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.done = threading.Event()
        self.refused: Exception | None = None
        self.define_slot("input", handler=self.take)
        self.define_event("out", ["n"])

    def take(self, n: int) -> None:
        self.entered.set()
        self.gate.wait(WAIT)
        try:
            self.emit("out", n=n)
        except Exception as exc:  # what a stopped activation's emit gets
            self.refused = exc
        finally:
            self.done.set()


class Sink(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[int] = []
        self.define_slot("input", handler=lambda n: self.got.append(n))


def test_a_job_whose_claim_another_owner_took_stops_here(tmp_path):
    path = tmp_path / "jobs.db"
    flow = Flow(
        flow_id="owned",
        execution_strategy="concurrent",
        store=f"sqlite:///{path}?lease=0.3",
        checkpoint="every_activation",
    )
    gated, sink = Gated(), Sink()
    flow.add_routine(Source(), "src")
    flow.add_routine(gated, "gated")
    flow.add_routine(sink, "sink")
    flow.connect("src", "out", "gated", "input")
    flow.connect("gated", "out", "sink", "input")
    job = flow.execute("src")
    assert gated.entered.wait(WAIT)
    # another process takes the job over, as after a stall longer than the lease
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE claims SET owner = 'host:1:thief', expires_at = ? WHERE job_id = ?",
            (time.time() + 3600, job.job_id),
        )
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "cancelled"
    assert "lost the claim" in job.execution_history[-1].data["reason"]
    gated.gate.set()
    assert gated.done.wait(WAIT)
    assert gated.refused is not None and sink.got == []  # nothing more ran here
    flow.shutdown()
