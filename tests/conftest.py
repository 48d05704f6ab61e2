"""Shared fixtures: flows are shut down after each test; plugins can be registered."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from routilux import Flow
from routilux.testing import routilux_plugin  # noqa: F401  (the fixture)


def pytest_report_header() -> str:
    """Whether these tests run with the GIL (tox's `freethreaded` env runs them without)."""
    gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)()
    return f"GIL: {'on' if gil_enabled else 'off (free-threaded CPython)'}"


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
