"""Tampered JobState documents: the error names the key and the rule it breaks,
not just "invalid value"."""

from __future__ import annotations

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
