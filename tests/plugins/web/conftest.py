"""Fixtures for `routilux serve`: an app on a temporary SQLite store, a real server.

These tests need the ``web`` extra; without it they are skipped (tox's ``web``
environment installs it and runs them, with the browser test).
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("httpx")

from servekit import EXAMPLES, TOKEN, Server  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from routilux.plugins.web.app import ServeConfig, create_app  # noqa: E402


@pytest.fixture
def store_url(tmp_path: pathlib.Path) -> str:
    return f"sqlite:///{tmp_path / 'jobs.db'}"


@pytest.fixture
def specs_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "approval.toml").write_text((EXAMPLES / "approval.toml").read_text())
    return specs


@pytest.fixture
def make_client(store_url: str, specs_dir: pathlib.Path) -> Iterator[Callable[..., TestClient]]:
    """``make_client(read_only=False, metrics=True)``: a TestClient with its lifespan."""
    clients: list[TestClient] = []

    def make(**options: Any) -> TestClient:
        config = ServeConfig(store_url=store_url, token=TOKEN, specs_dir=str(specs_dir), **options)
        client = TestClient(create_app(config))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def serve(store_url: str, specs_dir: pathlib.Path) -> Iterator[Callable[..., Server]]:
    """``serve(**options)``: a real server (stopped after the test)."""
    servers: list[Server] = []

    def start(**options: Any) -> Server:
        config = ServeConfig(store_url=store_url, token=TOKEN, specs_dir=str(specs_dir), **options)
        server = Server(config).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)
