"""Prometheus metrics: counted from the lifecycle observers, read at /metrics."""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from typing import Any

from servekit import AUTH, run_approval
from starlette.testclient import TestClient
from test_api import wait_stopped

from routilux import ErrorHandler, Flow, Routine
from routilux.plugins.web.metrics import make_metrics

Register = Callable[..., Any]


class Flaky(Routine):
    """Fails the first `fail` times it runs."""

    def __init__(self, fail: int) -> None:
        super().__init__()
        self.fail = fail
        self.define_slot("trigger", self.go)

    def go(self) -> None:
        if self.fail > 0:
            self.fail -= 1
            raise RuntimeError("not yet")


def test_activations_failures_retries_and_durations_are_counted(
    routilux_plugin: Register, make_flow: Callable[..., Flow]
) -> None:
    registry, observer = make_metrics(lambda: {}, lambda: [])
    routilux_plugin(observer)
    flow = make_flow(
        "flaky", error_handler=ErrorHandler(strategy="retry", max_retries=3, retry_delay=0)
    )
    flow.add_routine(Flaky(fail=2), "flaky")
    job = flow.run("flaky", timeout=60)
    assert job.status == "completed"

    def value(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, {"flow": "flaky", **labels})

    assert value("routilux_activations_total", routine="flaky") == 3
    assert value("routilux_activation_failures_total", routine="flaky") == 2
    assert value("routilux_activation_retries_total", routine="flaky") == 2
    assert value("routilux_activation_duration_seconds_count", routine="flaky") == 3
    assert value("routilux_jobs_finished_total", status="completed") == 1
    assert value("routilux_job_duration_seconds_count") == 1


def test_metrics_endpoint_shows_jobs_by_status_and_the_server_s_activations(
    client: TestClient, store_url: str, tmp_path: pathlib.Path
) -> None:
    paused = run_approval(store_url, tmp_path, "one")
    answered = run_approval(store_url, tmp_path, "two")
    client.post(
        f"/api/jobs/{answered}/answer",
        json={"pause_id": "ask", "answer": {"approved": "yes"}},
        headers=AUTH,
    )
    assert wait_stopped(client, answered)["status"] == "completed"
    text = client.get("/metrics").text
    assert 'routilux_jobs{flow="approval",status="paused"} 1.0' in text
    assert 'routilux_jobs{flow="approval",status="completed"} 1.0' in text
    # what ran in the server after the answer: decide, approved, record (not request)
    assert 'routilux_activations_total{flow="approval",routine="decide"} 1.0' in text
    assert 'routilux_activations_total{flow="approval",routine="approved"} 1.0' in text
    assert 'routilux_activations_total{flow="approval",routine="request"}' not in text
    assert paused


def test_no_metrics_route_when_disabled(make_client: Callable[..., TestClient]) -> None:
    client = make_client(metrics=False)
    assert client.get("/metrics").status_code == 404
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]
