"""Tampered JobState documents: the error names the key and the rule it breaks,
not just "invalid value"."""

from __future__ import annotations

import re

import pytest

from routilux import JobState
from routilux.errors import SerializationError


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
    data = JobState(flow_id="f").serialize()
    assert key in data
    data[key] = value
    with pytest.raises(SerializationError, match=re.escape(message)):
        JobState().deserialize(data)
