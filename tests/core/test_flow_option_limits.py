"""Flow options a store cannot hold are refused where they are given."""

from __future__ import annotations

import pytest

from routilux import Flow, FlowError, FlowSpecError


def test_keep_checkpoints_past_what_a_store_can_count_is_refused():
    # before: a spec's keep_checkpoints = 1e30 passed, and the job's first
    # checkpoint failed in SQLite with a raw OverflowError traceback
    spec = {"flow_id": "k", "keep_checkpoints": 10**30, "routines": {"a": {"type": "text.clip"}}}
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(spec)
    assert info.value.problems == [
        (
            "keep_checkpoints",
            f"keep_checkpoints {10**30} is more than 1,000,000, the most a flow may keep "
            "per job; keep fewer",
        )
    ]
    with pytest.raises(FlowError, match="keep_checkpoints 1000001 is more than 1,000,000"):
        Flow(keep_checkpoints=1_000_001)
    assert Flow(keep_checkpoints=1_000_000).keep_checkpoints == 1_000_000
