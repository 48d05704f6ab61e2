"""Assigning into `job.shared_data` / `job.routine_states`, as 0.10 programs do."""

from __future__ import annotations

import pytest

from routilux import Flow, JobState, Routine, open_store
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
    with open_store("memory://") as store:
        store.save(job)  # a saved job: JSON data only, read as copies
    job.shared_data["a"] = [1, 2]
    job.shared_data.update(b=1)
    assert job.shared_data == {"a": [1, 2], "b": 1}
    data = job.shared_data
    data["a"].append(3)  # a nested change stays in the copy
    assert job.get_shared_data("a") == [1, 2]
    with pytest.raises((RoutiluxError, TypeError)):
        job.shared_data["bad"] = object()  # not JSON data: refused, naming the key
    assert "bad" not in job.shared_data


class InPlaceCounter(Routine):
    """Counts the way 0.10 programs do: read the state, change it in place."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.count)

    def count(self, x: int) -> None:
        ctx = self.get_execution_context()
        job = ctx.job_state
        state = job.get_routine_state(ctx.routine_id)
        if state is None:
            job.update_routine_state(ctx.routine_id, {"count": 1, "xs": [x]})
        else:
            state["count"] += 1
            state["xs"].append(x)
        seen = job.get_shared_data("seen")
        if seen is None:
            job.update_shared_data("seen", [x])
        else:
            seen.append(x)


class Numbers(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("out", ["x"])

    def send(self, items=()) -> None:
        for x in items:
            self.emit("out", x=x)


def _counting_flow(flow_id: str) -> Flow:
    flow = Flow(flow_id=flow_id)
    flow.add_routine(Numbers(), "numbers")
    flow.add_routine(InPlaceCounter(), "counter")
    flow.connect("numbers", "out", "counter", "input")
    return flow


def test_a_job_without_a_store_hands_out_its_own_values_to_change_in_place():
    flow = _counting_flow("in-place")
    job = flow.execute("numbers", {"items": [1, 2, 3]})
    assert JobState.wait_for_completion(flow, job, timeout=60)
    assert job.get_routine_state("counter") == {"count": 3, "xs": [1, 2, 3]}
    assert job.get_shared_data("seen") == [1, 2, 3]
    # after the job too, and through the dict views
    job.routine_states["counter"]["extra"] = True
    assert job.get_routine_state("counter")["extra"] is True
    kept = [9]
    job.update_shared_data("kept", kept)
    kept.append(10)
    assert job.get_shared_data("kept") == [9, 10]
    job.shared_log.append({"m": 1})
    assert [e["m"] for e in job.get_shared_log()] == [1]
    flow.shutdown()


def test_a_saved_job_hands_out_copies_so_every_change_reaches_its_checkpoints(tmp_path):
    flow = _counting_flow("copies")
    flow.set_store(f"sqlite:///{tmp_path / 'jobs.db'}")
    job = flow.execute("numbers", {"items": [1, 2, 3]})
    assert JobState.wait_for_completion(flow, job, timeout=60)
    # each read was a copy: the in-place changes went nowhere, in the job and its store
    assert job.get_routine_state("counter") == {"count": 1, "xs": [1]}
    assert job.get_shared_data("seen") == [1]
    stored = flow.store.load(job.job_id)
    assert stored.get_routine_state("counter") == {"count": 1, "xs": [1]}
    flow.shutdown()


class Keeper(Routine):
    """Keeps a value in shared data and pauses the job, the 0.10 way."""

    def __init__(self, value) -> None:
        super().__init__()
        self.value = value
        self.define_slot("trigger", handler=self.keep)

    def keep(self) -> None:
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("kept", self.value)
        ctx.flow.pause(ctx.job_state, reason="later")


def _paused_without_store(value) -> JobState:
    flow = Flow(flow_id="keeper")
    flow.add_routine(Keeper(value), "keeper")
    job = flow.execute("keeper")
    assert JobState.wait_for_completion(flow, job, timeout=60)
    assert job.status == "paused"
    flow.shutdown()
    return job


def test_a_job_resumed_where_it_is_saved_owns_its_values_from_then_on(tmp_path):
    held = [1]
    job = _paused_without_store(held)
    assert job.get_shared_data("kept") is held  # not saved: the job's own value
    flow = Flow(flow_id="keeper")
    flow.add_routine(Keeper(held), "keeper")
    flow.set_store(f"sqlite:///{tmp_path / 'jobs.db'}")
    flow.resume(job)
    assert JobState.wait_for_completion(flow, job, timeout=60)
    held.append(2)  # the program's list is no longer the job's
    assert job.get_shared_data("kept") == [1]
    assert flow.store.load(job.job_id).get_shared_data("kept") == [1]
    flow.shutdown()


def test_a_job_holding_what_json_cannot_is_refused_by_a_flow_that_saves_it(tmp_path):
    job = _paused_without_store({1, 2})
    flow = Flow(flow_id="keeper")
    flow.add_routine(Keeper(None), "keeper")
    flow.set_store(f"sqlite:///{tmp_path / 'jobs.db'}")
    with pytest.raises(RoutiluxError, match=r"\['shared_data'\]\['kept'\]"):
        flow.resume(job)
    assert job.status == "paused" and job.get_shared_data("kept") == {1, 2}
    flow.shutdown()


def test_the_views_take_the_ways_0_10_programs_change_them():
    flow = Flow(flow_id="views")
    flow.add_routine(Numbers(), "numbers")
    job = flow.execute("numbers", {"items": []})
    assert JobState.wait_for_completion(flow, job, timeout=60)
    # not saved: setdefault hands back the job's own state, as 0.10's dict did
    job.routine_states.setdefault("tally", {})["n"] = 1
    assert job.get_routine_state("tally") == {"n": 1}
    job.shared_data |= {"a": 1}
    job.shared_log += [{"m": 1}]
    assert job.get_shared_data("a") == 1
    assert [e["m"] for e in job.get_shared_log()] == [1]
    # what would be lost silently is refused, naming what to use
    with pytest.raises(RoutiluxError, match="cannot be replaced as a whole"):
        job.shared_data = {"only": 2}
    with pytest.raises(RoutiluxError, match="cannot be removed"):
        del job.shared_data["a"]
    with pytest.raises(RoutiluxError, match="cannot be removed"):
        job.routine_states.pop("tally")
    assert job.get_shared_data("a") == 1 and job.get_routine_state("tally") == {"n": 1}
    with pytest.raises(RoutiluxError, match="append-only"):
        job.shared_log.insert(0, {"m": 0})
    with pytest.raises(RoutiluxError, match="cannot be replaced as a whole"):
        job.shared_log = []
    assert [e["m"] for e in job.get_shared_log()] == [1]
    flow.shutdown()


def test_a_job_state_made_by_hand_hands_out_its_own_values():
    # as routilux 0.10's: nothing saves it, so what a program changes in place is the
    # job's (a store that saves it makes it hand out copies from then on)
    job = JobState("by-hand")
    job.update_routine_state("r", {"n": 1})
    job.get_routine_state("r")["n"] = 100
    assert job.get_routine_state("r") == {"n": 100}
    marker = object()
    job.update_shared_data("thing", marker)  # any object, as in a flow without a store
    assert job.get_shared_data("thing") is marker
