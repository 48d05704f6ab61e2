"""A job that is never saved carries any Python object, as routilux 0.10's did: tuples,
sets, dates, int-keyed dicts, objects of the program's own classes. A flow with a
store saves its jobs, so there the data must be JSON (checked where it enters)."""

from __future__ import annotations

from datetime import date

import pytest

from routilux import Flow, JobState, NotSerializableError, Routine


class Point:
    def __init__(self, x: int) -> None:
        self.x = x


class Emit(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["pair"])

    def go(self, day=None) -> None:
        self.emit("out", pair=(2, 1), counts={3: 2}, tags={"a"}, day=day, point=Point(5))


class Keep(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[dict] = []
        self.define_slot("input", handler=self.take)

    def take(self, **data) -> None:
        self.got.append(data)
        job = self.get_execution_context().job_state
        job.update_shared_data("tags", data["tags"])
        job.update_routine_state("keep", {"pair": data["pair"]})


def flow_of(**options) -> tuple[Flow, Keep]:
    flow = Flow(flow_id="objects", **options)
    keep = Keep()
    flow.add_routine(Emit(), "emit")
    flow.add_routine(keep, "keep")
    flow.connect("emit", "out", "keep", "input")
    return flow, keep


def test_a_flow_without_a_store_passes_python_objects_as_they_are():
    flow, keep = flow_of()
    job = flow.execute("emit", entry_params={"day": date(2021, 1, 1)})
    assert JobState.wait_for_completion(flow, job, timeout=30)
    flow.shutdown()
    assert job.status == "completed"
    (got,) = keep.got
    assert got["pair"] == (2, 1) and type(got["pair"]) is tuple
    assert got["counts"] == {3: 2} and got["tags"] == {"a"}
    assert got["day"] == date(2021, 1, 1) and got["point"].x == 5
    assert job.get_shared_data("tags") == {"a"}
    assert job.get_routine_state("keep") == {"pair": (2, 1)}
    record = job.get_execution_history("emit")[-1]
    assert record.data["pair"] == (2, 1) and record.data["day"] == date(2021, 1, 1)


def test_saving_such_a_job_names_what_json_cannot_hold(tmp_path):
    flow, _ = flow_of()
    job = flow.run("emit", {"day": date(2021, 1, 1)})
    flow.shutdown()
    with pytest.raises(NotSerializableError, match=r"\['when'\]|\['day'\]: value of type date"):
        job.save(tmp_path / "job.json")
    assert not (tmp_path / "job.json").exists()


def test_a_flow_with_a_store_needs_json_data(tmp_path):
    flow, keep = flow_of(store=f"sqlite:///{tmp_path}/jobs.db")
    with pytest.raises(NotSerializableError, match="entry_params"):
        flow.execute("emit", entry_params={"day": date(2021, 1, 1)})
    job = flow.run("emit")
    flow.shutdown()
    assert job.status == "failed" and keep.got == []
    (error,) = [r for r in job.execution_history if r.event_name == "error"]
    assert "emit.out['counts']: key 3 is a int" in error.data["error"]
