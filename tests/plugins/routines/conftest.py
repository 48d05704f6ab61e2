"""Helpers for the standard routine pack tests: build flows from specs and run them."""

from __future__ import annotations

import pytest

from routilux import Flow, JobState


@pytest.fixture
def run_spec():
    """``run_spec(spec, entry_params=None, strategy=None) -> (flow, job)`` (job finished)."""
    flows: list[Flow] = []

    def run(spec, entry_params=None, strategy=None):
        flow = Flow.from_spec(spec)
        if strategy:
            flow.execution_strategy = strategy
        flows.append(flow)
        job = flow.execute(flow.entry, entry_params)
        assert JobState.wait_for_completion(flow, job, timeout=30)
        return flow, job

    yield run
    for flow in flows:
        flow.shutdown()


def outputs_of(job, routine_id):
    """The data of every event `routine_id` emitted, in order."""
    return [
        r.data
        for r in job.get_execution_history(routine_id)
        if r.event_name not in ("start", "completed")
    ]
