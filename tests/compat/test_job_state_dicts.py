"""Assigning into `job.shared_data` / `job.routine_states`, as 0.10 programs do."""

from __future__ import annotations

import pytest

from routilux import Flow, JobState, Routine
from routilux.errors import RoutiluxError


class Counter(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.count)

    def count(self, n: int = 3) -> None:
        job = self.get_execution_context().job_state
        job.shared_data["seen"] = n  # 0.10 style: assign into the dict
        job.routine_states["counter"] = {"count": n}


def test_an_assignment_in_a_handler_reaches_the_job_and_its_saved_form():
    flow = Flow(flow_id="counts")
    flow.add_routine(Counter(), "counter")
    job = flow.run("counter", {"n": 5})
    assert job.status == "completed"
    assert job.shared_data == {"seen": 5}
    assert job.get_routine_state("counter")["count"] == 5
    again = JobState()
    again.deserialize(job.serialize())
    assert again.get_shared_data("seen") == 5
    flow.shutdown()


def test_assignments_outside_a_job_are_checked_like_the_update_methods():
    job = JobState(flow_id="f")
    job.shared_data["a"] = [1, 2]
    job.shared_data.update(b=1)
    assert job.shared_data == {"a": [1, 2], "b": 1}
    data = job.shared_data
    data["a"].append(3)  # a nested change stays in the copy
    assert job.get_shared_data("a") == [1, 2]
    with pytest.raises((RoutiluxError, TypeError)):
        job.shared_data["bad"] = object()  # not JSON data: refused, naming the key
    assert "bad" not in job.shared_data
