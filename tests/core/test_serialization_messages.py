"""Tampered JobState documents: the error names the key and the rule it breaks,
not just "invalid value"."""

from __future__ import annotations

import re

import pytest

from routilux import JobState
from routilux.errors import SerializationError
from routilux.serialization import unstructure_job_state


@pytest.mark.parametrize("limit", [-5, -1])
def test_a_negative_history_limit_names_the_key_and_the_rule(limit):
    data = JobState(flow_id="f").serialize()
    data["history_limit"] = limit
    with pytest.raises(SerializationError) as raised:
        JobState().deserialize(data)
    message = str(raised.value)
    assert message.startswith("malformed JobState: ")
    assert f'history_limit must be a number of records (>= 0), "full" or "off", not {limit}' in (
        message
    )
    assert "invalid value" not in message


def test_a_valid_history_limit_still_loads():
    job = JobState(flow_id="f")
    job.set_history_limit(3)
    assert JobState().deserialize(job.serialize()).history_limit == 3


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("checkpoint_seq", -1, "checkpoint_seq must be a whole number >= 0, not -1"),
        ("history_total", -3, "history_total must be a whole number >= 0, not -3"),
        ("output_log_total", True, "output_log_total must be a whole number >= 0, not True"),
        ("job_id", "", "job_id must be a non-empty str, not ''"),
    ],
)
def test_tampered_counters_and_ids_are_named(key, value, message):
    data = unstructure_job_state(JobState(flow_id="f"), full=True)
    assert key in data
    data[key] = value
    with pytest.raises(SerializationError, match=re.escape(message)):
        JobState().deserialize(data)


def test_a_payload_nested_as_deep_as_an_emit_accepts_loads_from_a_store(tmp_path):
    from routilux import Flow, Routine, open_store
    from routilux.payload import MAX_PAYLOAD_DEPTH

    def nested(levels):
        value = 0
        for _ in range(levels):
            value = [value]
        return value

    class Deep(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot(
                "trigger", handler=lambda: self.emit("out", v=nested(MAX_PAYLOAD_DEPTH - 2))
            )
            self.define_event("out", ["v"])

    class Keep(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("inp", handler=lambda v: None, merge_strategy="append")

    url = f"sqlite:///{tmp_path}/jobs.db"
    flow = Flow(flow_id="deep", store=url, checkpoint="every_activation")
    flow.add_routine(Deep(), "deep")
    flow.add_routine(Keep(), "keep")
    flow.connect("deep", "out", "keep", "inp")
    job = flow.run("deep", timeout=60)
    flow.shutdown()
    assert job.status == "completed"
    with open_store(url) as store:  # the append buffer holds it 4 levels deeper
        assert store.load(job.job_id).status == "completed"
