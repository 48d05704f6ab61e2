"""History limits: every int a user may write works."""

from __future__ import annotations

import pytest

from routilux import Flow


@pytest.mark.parametrize("limit", [2**63, 10**30])
def test_a_history_limit_past_what_a_deque_can_bound_keeps_everything(limit):
    # before: deque(maxlen=10**30) raised a raw OverflowError when the job started
    flow = Flow.from_spec(
        {"flow_id": "h", "history": limit, "routines": {"a": {"type": "text.clip"}}}
    )
    job = flow.run("a", {"text": "hi"})
    assert job.status == "completed"
    assert [r.event_name for r in job.execution_history][:1] == ["start"]
