"""JobState methods, copies, JSON checks, waiting, and the serialized form."""

from __future__ import annotations

import json
import sys

import pytest

from routilux import (
    Flow,
    JobState,
    JobStateError,
    JobStatus,
    NotSerializableError,
    Routine,
    RoutineStatus,
    SchemaVersionError,
    SerializationError,
    open_store,
)
from routilux.serialization import unstructure_job_state
from routilux.store_conformance import sample_job


def saved_job(**fields: object) -> JobState:
    """A JobState a store has saved: from then on its data is JSON, read as copies."""
    job = JobState(**fields)
    with open_store("memory://") as store:
        store.save(job)
    return job


def test_containers_of_a_saved_job_are_copies_and_changes_go_through_methods():
    job = saved_job(flow_id="f")
    job.update_shared_data("items", [1, 2])
    job.get_shared_data("items").append(3)
    job.shared_data["items"].append(4)  # nested values of the copy stay in the copy
    assert job.shared_data == {"items": [1, 2]}
    job.update_routine_state("r", {"n": 1})
    job.get_routine_state("r")["n"] = 2
    assert job.routine_states == {"r": {"n": 1}}
    mine = {"a": [1]}
    job.update_routine_state("r", mine)
    mine["a"].append(2)  # the stored state is a copy
    assert job.get_routine_state("r") == {"a": [1]}


def test_two_jobs_made_from_the_same_log_do_not_share_it():
    from collections import deque

    for given in (deque(), deque([{"k": 1}], 10_000)):
        first, second = JobState(shared_log=given), JobState(shared_log=given)
        first.append_to_shared_log({"a": 1})  # to the first job's shared log only
        assert len(second.shared_log) == len(given)
        assert len(first.shared_log) == len(given) + 1


@pytest.mark.parametrize(
    "store, path",
    [
        (lambda j: j.update_shared_data("k", {"when": {1, 2}}), "shared_data['k']['when']"),
        (lambda j: j.update_routine_state("r", {"x": [object()]}), "routine_states['r']['x'][0]"),
        (lambda j: j.record_execution("r", "e", {"b": b"bytes"}), "history[r.e]['b']"),
        (lambda j: j.append_to_shared_log({1: "int key"}), "shared_log entry: key 1"),
        (lambda j: j.send_output("r", "t", {"f": print}), "output[r.t]['f']"),
        (lambda j: j.update_shared_data("k", float("nan")), "shared_data['k']"),
        (lambda j: j.update_shared_data("k", [1.0, float("inf")]), "shared_data['k'][1]"),
        (lambda j: j.record_execution("r", "e", {"x": -float("inf")}), "history[r.e]['x']"),
        (lambda j: j.update_routine_state("r", {"x": {"y": float("nan")}}), "['x']['y']"),
    ],
)
def test_non_json_data_fails_at_the_call_that_stores_it_naming_the_path(store, path):
    job = saved_job()
    with pytest.raises(NotSerializableError) as caught:
        store(job)
    assert path in str(caught.value)
    assert job.serialize()  # nothing half-stored


def test_a_job_made_by_hand_holds_its_own_values_until_a_store_saves_it():
    job = JobState(flow_id="f")  # as in routilux 0.10: the values themselves, any object
    job.update_routine_state("r", {"n": 1})
    job.get_routine_state("r")["n"] = 2
    assert job.get_routine_state("r") == {"n": 2}
    job.update_shared_data("when", {1, 2})
    assert job.get_shared_data("when") is job.get_shared_data("when")
    with open_store("memory://") as store:
        with pytest.raises(NotSerializableError, match=r"\['shared_data'\]\['when'\]"):
            store.save(job)  # what JSON cannot hold is named; nothing is saved
        job.update_shared_data("when", [1, 2])
        store.save(job)
        job.get_routine_state("r")["n"] = 3  # saved: a copy from now on
        assert job.get_routine_state("r") == {"n": 2}
        assert store.load(job.job_id).get_routine_state("r") == {"n": 2}


def test_status_is_validated():
    job = JobState()
    with pytest.raises(JobStateError, match="unknown job status 'done'"):
        job.status = "done"
    job.status = "paused"
    assert job.status == "paused"


def test_job_ids_are_distinct_random_uuid4_strings():
    import uuid

    ids = {JobState().job_id for _ in range(2_000)}
    assert len(ids) == 2_000
    for job_id in ids:
        parsed = uuid.UUID(job_id)
        assert str(parsed) == job_id
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_job_ids_do_not_follow_the_random_module_seed():
    # a program seeding `random` for reproducible handlers must not repeat the job ids
    # of its earlier runs (they would collide in a shared store)
    import random

    random.seed(1234)
    first = [JobState().job_id for _ in range(3)]
    random.seed(1234)
    assert not set(first) & {JobState().job_id for _ in range(3)}


def test_a_status_given_as_member_or_string_is_the_member():
    assert JobState(status=JobStatus.PAUSED).status is JobStatus.PAUSED
    assert JobState(status="paused").status is JobStatus.PAUSED


def test_statuses_are_str_enums_in_memory_and_plain_strings_when_saved(tmp_path):
    job = sample_job(pause=True)
    assert job.status is JobStatus.PAUSED and job.status == "paused"
    assert job.get_routine_state("source") == {"status": RoutineStatus.COMPLETED}
    assert repr(job.get_routine_state("source")) == "{'status': 'completed'}"
    saved = json.loads(json.dumps(job.serialize()))
    assert (
        saved["status"] == "paused" and saved["routine_states"]["source"]["status"] == "completed"
    )
    with open_store(f"sqlite:///{tmp_path}/jobs.db") as store:
        store.save(job)
        loaded = store.load(job.job_id)
        assert [s.status for s in store.list(status=JobStatus.PAUSED)] == ["paused"]
    assert loaded.status is JobStatus.PAUSED
    assert JobState.from_dict(saved).status is JobStatus.PAUSED
    assert JobState(status="completed").status is JobStatus.COMPLETED


def test_an_unknown_saved_status_names_the_status_and_the_choices():
    data = sample_job().serialize()
    data["status"] = "done"
    with pytest.raises(SerializationError, match=r"unknown job status 'done'; use one of \['can"):
        JobState.from_dict(data)


def test_round_trip_is_lossless_for_every_serialized_field():
    job = sample_job(pause=True)
    data = json.loads(json.dumps(unstructure_job_state(job, full=True)))
    again = JobState.from_dict(data)
    assert again.serialize() == job.serialize()
    assert unstructure_job_state(again, full=True) == data
    assert set(data) == {
        "_type",
        "schema_version",
        "flow_id",
        "job_id",
        "status",
        "created_at",
        "updated_at",
        "current_routine_id",
        "routine_states",
        "execution_history",
        "pause_points",
        "pending_tasks",
        "deferred_events",
        "shared_data",
        "shared_log",
        "output_log",
        "metadata",
        "slot_buffers",
        "idle_activated",
        "checkpoint_seq",
        "history_limit",
        "history_total",
        "shared_log_total",
        "output_log_total",
        "routine_counts",
        "entry_routine_id",
        "tracebacks",
    }
    assert again.execution_history[0].timestamp == job.execution_history[0].timestamp
    assert again.pending_tasks == job.pending_tasks and again.deferred_events == job.deferred_events


def test_save_and_load_through_a_file(tmp_path):
    job = sample_job()
    job.save(tmp_path / "job.json")
    assert JobState.load(tmp_path / "job.json").serialize() == job.serialize()


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(status=5),
        lambda d: d.update(execution_history=[{"routine_id": "r"}]),
        lambda d: d.update(pending_tasks=[{"seq": "x"}]),
        lambda d: d.update(unexpected=1),
        lambda d: d.update(created_at="yesterday"),
        lambda d: d.update(routine_states=[]),
    ],
)
def test_malformed_data_is_a_serialization_error(change):
    data = sample_job().serialize()
    change(data)
    with pytest.raises(SerializationError):
        JobState().deserialize(data)


def test_a_newer_schema_is_refused_with_what_to_do():
    data = sample_job().serialize()
    data["schema_version"] = 99
    with pytest.raises(SchemaVersionError, match="upgrade routilux"):
        JobState.from_dict(data)


def test_flow_data_never_imports_code():
    data = {
        "flow_id": "evil",
        "routines": {
            "x": {"class": "os.path:join"},
            "y": {"class": "not_imported_module_xyz:Thing"},
        },
        "error_handler": {
            "strategy": "retry",
            "retryable_exceptions": ["not_imported_module_xyz:Error"],
        },
    }
    from routilux import FlowSpecError

    with pytest.raises(FlowSpecError) as caught:
        Flow().deserialize(data)
    assert "not_imported_module_xyz" not in sys.modules
    messages = str(caught.value)
    assert "routines.x.class: routine class 'os.path:join' is not defined" in messages
    assert "import the module that defines it" in messages


def test_wait_until_condition_returns_false_when_the_job_ends_first(make_flow):
    class Quick(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=lambda: None)

    flow = make_flow()
    flow.add_routine(Quick(), "quick")
    job = flow.execute("quick")
    assert (
        JobState.wait_until_condition(
            flow, job, lambda f, j: j.get_shared_data("never"), timeout=10
        )
        is False
    )
    assert job.status == "completed"
