"""Saved JobState fields are declared once (routilux.saved_fields); serialization,
checkpoint deltas and remote snapshots all follow the declarations."""

from __future__ import annotations

import attrs
import pytest

from routilux import JobState, open_store
from routilux.checkpoint import checkpoint_delta
from routilux.saved_fields import runtime, runtime_fields, saved, saved_fields
from routilux.serialization import unstructure_job_state
from routilux.store_conformance import sample_job


def test_every_saved_field_is_in_the_serialized_form_and_in_a_checkpoint():
    job = sample_job(pause=True)
    fields = saved_fields(JobState)
    # _type: 0.10's tag
    serialized = set(unstructure_job_state(job, full=True)) - {"schema_version", "_type"}
    assert serialized == {f.key for f in fields}
    delta, _ = checkpoint_delta(job, None)
    document = set(delta.document) - {"schema_version"}
    assert document == {f.key for f in fields if f.part == "document"}
    logs = {"execution_history": delta.history, "shared_log": delta.shared_log}
    logs["output_log"] = delta.output_log
    assert set(logs) == {f.key for f in fields if f.part == "log"}
    assert all(logs.values()) and delta.pending_upserts  # the sample job has some of each


def test_a_store_keeps_every_saved_field(tmp_path):
    job = sample_job(pause=True)
    with open_store(f"sqlite:///{tmp_path}/jobs.db") as store:
        store.save(job)
        loaded = store.load(job.job_id)
    saved_now = unstructure_job_state(loaded, full=True)
    saved_then = unstructure_job_state(job, full=True)
    for field in saved_fields(JobState):
        assert saved_now[field.key] == saved_then[field.key], field.key


def test_runtime_fields_are_never_saved():
    names = set(runtime_fields(JobState))
    assert {"output_handler", "_lock", "_pending_journal", "_version"} <= names
    assert not names & {f.attribute for f in saved_fields(JobState)}


def test_a_field_declared_saved_is_derived_with_its_key_copy_and_part():
    @attrs.define
    class Example:
        _notes: list[str] = attrs.field(factory=list, metadata=saved(copy=list, remote=True))
        _queue: dict[int, str] = attrs.field(factory=dict, metadata=saved("pending", key="tasks"))
        handler: object = attrs.field(default=None, metadata=runtime())
        _cache: dict[str, str] = attrs.field(init=False, factory=dict)

    notes, queue = saved_fields(Example)
    assert (notes.attribute, notes.init_name, notes.key, notes.part) == (
        "_notes",
        "notes",
        "notes",
        "document",
    )
    assert notes.remote and notes.copy is list
    assert (queue.init_name, queue.key, queue.part, queue.remote) == (
        "queue",
        "tasks",
        "pending",
        False,
    )
    assert runtime_fields(Example) == ("handler", "_cache")


def test_a_field_neither_saved_nor_runtime_is_an_error_naming_it():
    @attrs.define
    class Forgotten:
        kept: int = attrs.field(default=0, metadata=saved())
        forgotten: int = 0

    with pytest.raises(TypeError, match=r"Forgotten.forgotten is neither saved\(...\) nor runtime"):
        saved_fields(Forgotten)
