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


def test_new_activation_sets_every_field_as_the_class_does():
    """`new_activation` (the emit path's constructor) must follow SlotActivation's fields."""
    import attrs

    from routilux.records import SlotActivation, new_activation

    data = {"x": 1}
    made = new_activation("r", "s", data)
    expected = SlotActivation("r", "s", data)
    for field in attrs.fields(SlotActivation):
        assert getattr(made, field.name) == getattr(expected, field.name), field.name
    assert made.data is data
