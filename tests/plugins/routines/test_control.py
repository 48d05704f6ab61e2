"""control.route, control.aggregate, control.batch, control.human_input."""

from __future__ import annotations

import pytest
from conftest import outputs_of

from routilux import Flow, JobState


@pytest.fixture
def items_file(tmp_path):
    import json

    def write(items):
        path = tmp_path / "items.json"
        path.write_text(json.dumps(items))
        return str(path)

    return write


def fan_in_spec(path, routine, config, mapping=None):
    return {
        "entry": "read",
        "routines": {
            "read": {"type": "io.read_json", "config": {"path": path, "each": True}},
            "collect": {"type": routine, "config": config},
        },
        "connections": [
            {"from": "read.item", "to": "collect.input", "param_mapping": mapping or {}}
        ],
    }


def test_route_sends_by_field_value():
    flow = Flow.from_spec(
        {
            "entry": "route",
            "routines": {
                "route": {
                    "type": "control.route",
                    "config": {"field": "kind", "routes": {"bug": "bugs"}},
                }
            },
        }
    )
    assert set(flow.routines["route"].events) == {"bugs", "other"}
    job = flow.run("route", {"kind": "bug", "id": 7})
    assert [(r.event_name, r.data) for r in job.get_execution_history("route")][1] == (
        "bugs",
        {"kind": "bug", "id": 7},
    )
    job = flow.run("route", {"kind": "feature"})
    assert job.get_execution_history("route")[1].event_name == "other"
    flow.shutdown()


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_aggregate_emits_once_when_the_upstream_ends(run_spec, items_file, strategy):
    path = items_file(list(range(40)))
    _, job = run_spec(
        fan_in_spec(path, "control.aggregate", {}, {"item": "items"}), strategy=strategy
    )
    [emitted] = outputs_of(job, "collect")
    assert sorted(emitted["items"]) == list(range(40)) and emitted["count"] == 40


def test_aggregate_emits_after_count_items_only_once(run_spec, items_file):
    path = items_file(list(range(10)))
    _, job = run_spec(fan_in_spec(path, "control.aggregate", {"count": 3}, {"item": "items"}))
    assert outputs_of(job, "collect") == [{"items": [0, 1, 2], "count": 3}]


def test_aggregate_sums_counts_and_keeps_the_top(run_spec, items_file):
    path = items_file([{"a": 1, "b": 5}, {"a": 2, "c": 1}, {"b": 1}])
    config = {"combine": "sum_counts", "top": 2}
    _, job = run_spec(
        fan_in_spec(path, "control.aggregate", config, {"item": "items"}), strategy="concurrent"
    )
    assert outputs_of(job, "collect") == [{"items": {"b": 6, "a": 3}, "count": 3}]


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_batch_emits_full_batches_then_the_rest(run_spec, items_file, strategy):
    _, job = run_spec(
        fan_in_spec(items_file(list(range(7))), "control.batch", {"size": 3}), strategy=strategy
    )
    batches = [out["items"] for out in outputs_of(job, "collect")]
    assert [len(b) for b in batches] == [3, 3, 1]
    assert sorted(x for batch in batches for x in batch) == list(range(7))


def test_human_input_pauses_until_resumed_with_input():
    flow = Flow.from_spec(
        {
            "entry": "ask",
            "routines": {
                "ask": {
                    "type": "control.human_input",
                    "config": {"prompt": "ok?", "fields": ["answer"]},
                },
                "echo": {"type": "text.template", "config": {"template": "{prompt} {answer}"}},
            },
            "connections": [{"from": "ask.answer", "to": "echo.input"}],
        }
    )
    job = flow.run("ask", {"request": 1})
    assert job.status == "paused" and job.pause_points[-1]["reason"] == "ok?"
    (point,) = job.waiting_pause_points
    assert {k: point[k] for k in ("id", "routine_id", "prompt", "fields")} == {
        "id": "ask",
        "routine_id": "ask",
        "prompt": "ok?",
        "fields": ["answer"],
    }
    assert point["data"] == {"request": 1, "prompt": "ok?", "expects": ["answer"]}
    flow.resume(job, input={"answer": "yes"})
    assert JobState.wait_for_completion(flow, job, timeout=10)
    assert job.status == "completed"
    assert outputs_of(job, "echo")[0]["text"] == "ok? yes"
    flow.shutdown()
