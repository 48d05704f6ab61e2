"""Live updates over server-sent events: jobs of the serving process and of others."""

from __future__ import annotations

import json
import pathlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from servekit import AUTH, WAIT, Server, run_approval


def job_events(server: Server, **params: str) -> Iterator[dict[str, Any] | None]:
    """The ``job`` events the server streams (read with a generous timeout); first
    None, once the stream is connected."""
    with (
        httpx.Client(timeout=WAIT) as client,
        client.stream("GET", f"{server.url}/api/events", params=params) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        event = ""
        for line in response.iter_lines():
            if line == ": connected":
                yield None
            elif line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: ") and event == "job":
                yield json.loads(line[len("data: ") :])


def test_a_job_run_by_another_process_is_streamed(
    serve: Callable[..., Server], store_url: str, tmp_path: pathlib.Path
) -> None:
    server = serve()
    result: dict[str, str] = {}
    events = job_events(server)
    # the stream is open before the other process starts: subscribe, then run
    first = threading.Thread(
        target=lambda: result.setdefault("job_id", run_approval(store_url, tmp_path, "remote"))
    )
    seen: list[dict[str, Any]] = []
    for message in _with_start(events, first):
        seen.append(message)
        if message["flow_id"] == "approval" and message["status"] == "paused":
            break
    first.join(WAIT)
    assert seen[-1]["job_id"] == result["job_id"]


def _with_start(
    events: Iterator[dict[str, Any] | None], thread: threading.Thread
) -> Iterator[dict[str, Any]]:
    """Start `thread` once the event stream is connected, then pass the events on."""
    for message in events:
        if message is None:
            thread.start()
        else:
            yield message


def test_a_job_run_by_the_server_streams_its_changes(
    serve: Callable[..., Server], store_url: str, tmp_path: pathlib.Path
) -> None:
    server = serve()
    job_id = run_approval(store_url, tmp_path, "answered live")
    statuses: list[str] = []

    def answer() -> None:
        response = httpx.post(
            f"{server.url}/api/jobs/{job_id}/answer",
            json={"pause_id": "ask", "answer": {"approved": "yes"}},
            headers=AUTH,
            timeout=WAIT,
        )
        assert response.status_code == 201

    for message in _with_start(job_events(server, job_id=job_id), threading.Thread(target=answer)):
        assert message["job_id"] == job_id
        statuses.append(message["status"])
        if message["status"] == "completed":
            break
    assert statuses[-1] == "completed"
    assert set(statuses) <= {"paused", "running", "completed"}
