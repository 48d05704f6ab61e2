"""Helpers for the `routilux serve` tests: the CLI in another process, a real server."""

from __future__ import annotations

import json
import pathlib
import socket
import subprocess
import sys
import threading
from typing import Any

import uvicorn

from routilux.plugins.web.app import ServeConfig, create_app

ROOT = pathlib.Path(__file__).parents[3]
EXAMPLES = ROOT / "examples"
TOKEN = "test-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
WAIT = 60  # seconds; generous, never reached when things work


def cli(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    """The ``routilux`` command in another process."""
    return subprocess.run(
        [sys.executable, "-m", "routilux", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
    )


def run_approval(store_url: str, tmp_path: pathlib.Path, title: str) -> str:
    """Run examples/approval.toml with ``routilux run`` in another process; the job id
    of the job it leaves paused."""
    out = tmp_path / f"{title.replace(' ', '_')}.json"
    result = cli(
        "run",
        str(EXAMPLES / "approval.toml"),
        "--param",
        f"title={title}",
        "--param",
        f"output={out}",
        "--store",
        store_url,
        "--json",
        cwd=tmp_path,
    )
    assert result.returncode == 3, result.stderr  # 3: paused
    return str(json.loads(result.stdout)["job_id"])


class Server:
    """`routilux serve`'s app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, config: ServeConfig) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(config), log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> Server:
        self.thread.start()
        # uvicorn offers a flag, not an event: look at it until it is set (bounded)
        tick = threading.Event()
        for _ in range(WAIT * 20):
            if self.server.started or not self.thread.is_alive():
                break
            tick.wait(0.05)
        assert self.server.started, "uvicorn did not start"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT)
        self.sock.close()
