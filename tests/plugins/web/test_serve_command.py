"""``routilux serve`` as a user starts it: the default SQLite store, jobs that
``routilux run`` made in another process, the token it prints."""

from __future__ import annotations

import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx
import pytest
from servekit import EXAMPLES, WAIT, cli


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """No ROUTILUX_STORE or ROUTILUX_TOKEN: the defaults a new user gets."""
    monkeypatch.delenv("ROUTILUX_STORE", raising=False)
    monkeypatch.delenv("ROUTILUX_TOKEN", raising=False)
    yield dict(os.environ)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_shows_jobs_that_routilux_run_made_on_the_default_store(
    tmp_path: pathlib.Path, clean_env: dict[str, str]
) -> None:
    ran = cli(
        "run",
        str(EXAMPLES / "approval.toml"),
        "--param",
        "title=Default store",
        "--param",
        "output=out.json",
        cwd=tmp_path,
    )
    assert ran.returncode == 3, ran.stderr  # paused
    assert (tmp_path / ".routilux" / "jobs.db").is_file()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "routilux", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=clean_env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        banner = [server.stderr.readline() for _ in range(3)]
        assert banner[0].strip() == "routilux serve: sqlite:///.routilux/jobs.db"
        token = re.fullmatch(r"\s*token: (\S+)\s*", banner[1])
        assert token, banner
        assert f"http://127.0.0.1:{port}/#token={token.group(1)}" in banner[2]
        threading.Thread(target=server.stderr.read, daemon=True).start()  # keep it drained

        url = f"http://127.0.0.1:{port}"
        jobs = _get_when_up(f"{url}/api/jobs")["jobs"]
        assert [(j["flow_id"], j["status"]) for j in jobs] == [("approval", "paused")]
        job_id = jobs[0]["job_id"]

        answer = {"pause_id": "ask", "answer": {"approved": "yes"}}
        refused = httpx.post(f"{url}/api/jobs/{job_id}/answer", json=answer, timeout=WAIT)
        assert refused.status_code == 401
        accepted = httpx.post(
            f"{url}/api/jobs/{job_id}/answer",
            json=answer,
            headers={"Authorization": f"Bearer {token.group(1)}"},
            timeout=WAIT,
        )
        assert accepted.status_code == 201

        # a browser left open on the events: Ctrl-C still stops the server
        connected = threading.Event()
        threading.Thread(target=_listen, args=(f"{url}/api/events", connected), daemon=True).start()
        assert connected.wait(WAIT)
        server.send_signal(signal.SIGINT)
        assert server.wait(WAIT) == 130  # the exit code of an interrupted routilux command
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(WAIT)
    shown = cli("show", job_id, cwd=tmp_path)
    assert "completed" in shown.stdout.splitlines()[0]


def _listen(url: str, connected: threading.Event) -> None:
    """Hold an event stream open until the server ends it."""
    with httpx.stream("GET", url, timeout=WAIT) as response:
        for line in response.iter_lines():
            if line == ": connected":
                connected.set()


def _get_when_up(url: str) -> dict[str, object]:
    """GET `url`, trying again while the server is still starting (bounded)."""
    wait = threading.Event()
    for _ in range(WAIT * 10):
        try:
            response = httpx.get(url, timeout=WAIT)
        except httpx.ConnectError:
            wait.wait(0.1)
            continue
        response.raise_for_status()
        result = response.json()
        assert isinstance(result, dict)
        return result
    raise AssertionError(f"routilux serve did not answer at {url}")
