"""Shared fixtures: flows are shut down after each test; plugins can be registered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from routilux import Flow
from routilux.testing import routilux_plugin  # noqa: F401  (the fixture)


@pytest.fixture
def make_flow() -> Iterator[object]:
    """``make_flow(**kwargs)`` builds a Flow that is shut down after the test."""
    flows: list[Flow] = []

    def make(*args: object, **kwargs: object) -> Flow:
        flow = Flow(*args, **kwargs)  # type: ignore[arg-type]
        flows.append(flow)
        return flow

    yield make
    for flow in flows:
        flow.shutdown(wait=True, timeout=10)
