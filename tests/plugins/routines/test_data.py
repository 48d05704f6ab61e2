"""data.map, data.filter, data.validate, data.count_words."""

from __future__ import annotations

import pytest
from conftest import outputs_of

from routilux import Event, Flow, FlowSpecError, registry


def events_of(job, routine_id):
    return [
        (r.event_name, r.data)
        for r in job.get_execution_history(routine_id)
        if r.event_name not in ("start", "completed")
    ]


def one(run_spec, routine, config, data):
    _, job = run_spec({"entry": "r", "routines": {"r": {"type": routine, "config": config}}}, data)
    return job


def test_map_applies_a_named_transform(run_spec):
    job = one(
        run_spec, "data.map", {"field": "name", "transform": "upper"}, {"name": "ada", "id": 1}
    )
    assert outputs_of(job, "r") == [{"name": "ADA", "id": 1}]
    job = one(
        run_spec,
        "data.map",
        {"field": "name", "transform": "length", "target": "size"},
        {"name": "ada"},
    )
    assert outputs_of(job, "r") == [{"name": "ada", "size": 3}]


def test_map_only_knows_its_fixed_transforms():
    with pytest.raises(FlowSpecError, match="transform must be one of"):
        Flow.from_spec(
            {"routines": {"r": {"type": "data.map", "config": {"field": "x", "transform": "eval"}}}}
        )


@pytest.mark.parametrize(
    "op, value, data, event",
    [
        ("gt", 10, 11, "output"),
        ("gt", 10, 10, "rejected"),
        ("in", [1, 2], 2, "output"),
        ("contains", "b", "abc", "output"),
        ("startswith", "x", "abc", "rejected"),
        ("ne", 1, 1, "rejected"),
    ],
)
def test_filter_sends_each_item_one_way(run_spec, op, value, data, event):
    job = one(run_spec, "data.filter", {"field": "v", "op": op, "value": value}, {"v": data})
    assert events_of(job, "r") == [(event, {"v": data})]


def test_validate_separates_valid_and_invalid(run_spec):
    config = {"required": ["id"], "types": {"id": "int", "tags": "list"}}
    assert (
        events_of(one(run_spec, "data.validate", config, {"id": 1, "tags": []}), "r")[0][0]
        == "output"
    )
    event, data = events_of(one(run_spec, "data.validate", config, {"id": True, "tags": "x"}), "r")[
        0
    ]
    assert event == "invalid"
    assert data["errors"] == ["'id' should be int, got bool", "'tags' should be list, got str"]
    assert events_of(one(run_spec, "data.validate", config, {}), "r")[0][1]["errors"] == [
        "missing key 'id'"
    ]


def test_count_words(run_spec):
    job = one(run_spec, "data.count_words", {}, {"text": "the cat and the hat"})
    assert outputs_of(job, "r") == [{"words": {"the": 2, "cat": 1, "and": 1, "hat": 1}, "total": 5}]


@pytest.mark.parametrize(
    "name, declared",
    [
        ("data.map", ["output"]),
        ("data.filter", ["output", "rejected"]),
        ("data.validate", ["output", "invalid"]),
        ("data.count_words", ["output"]),
    ],
)
def test_data_routines_list_their_events_like_any_routine(name, declared):
    routine = registry.get_routine(name)()
    assert list(routine.events) == declared  # Routine.events: the declared Event objects
    assert all(isinstance(event, Event) for event in routine.events.values())
