"""Checkpoints after every activation with the threads executor: no checkpoint holds part
of the next activation, and the flow closes the store it opened."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from routilux import Flow, JobState, Routine, open_store


def test_no_checkpoint_captures_part_of_the_next_activation(tmp_path):
    """Each activation emits two events. Were a checkpoint taken while the next activation
    of the job runs, some stored history would hold its first emit without its second."""
    url = f"sqlite:///{tmp_path}/jobs.db"
    saved: list[list[str]] = []
    lock = threading.Lock()

    class Pairs(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.start)
            self.define_slot("input", handler=self.pair)
            self.define_event("item", ["n"])
            self.define_event("first", ["n"])
            self.define_event("second", ["n"])

        def start(self, count):
            for n in range(count):
                self.emit("item", n=n)

        def pair(self, n):
            self.emit("first", n=n)
            self.emit("second", n=n)

    class Watching:
        """A store that records the history of every checkpoint it receives."""

        def __init__(self, inner):
            self.inner, self.url = inner, inner.url

        def save(self, job_state):
            with lock:
                saved.append([r.event_name for r in job_state.execution_history])
            self.inner.save(job_state)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    store = Watching(open_store(url))
    flow = Flow(
        flow_id="pairs",
        execution_strategy="concurrent",
        max_workers=4,
        store=store,
        checkpoint="every_activation",
    )
    flow.add_routine(Pairs(), "pairs")
    flow.connect("pairs", "item", "pairs", "input")
    job = flow.execute("pairs", {"count": 200})
    assert JobState.wait_for_completion(flow, job, timeout=60) and job.status == "completed"
    flow.shutdown()
    assert len(saved) > 200
    for history in saved:
        assert history.count("first") == history.count("second")


def test_shutdown_closes_the_store_the_flow_opened(tmp_path):
    flow = Flow(flow_id="closing", store=f"sqlite:///{tmp_path}/jobs.db")
    store = flow.store
    connection = store._local.connection  # opened when the flow opened the store
    connection.execute("SELECT 1")
    flow.shutdown()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")
    assert store.list() == []  # and it reopens on next use
