"""A real redis-server on 127.0.0.1 for the session, from the Debian package.

A missing redis-server is a failure with the install command, not a skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

import pytest

INSTALL = "apt-get install -y redis-server   (Debian/Ubuntu; the tests start their own server)"


@pytest.fixture(scope="session")
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(f"redis-server not found; install it: {INSTALL}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    directory = tempfile.mkdtemp(prefix="routilux-redis-")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            directory,
            "--databases",
            "64",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on 127.0.0.1:{port}")
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(10)
    shutil.rmtree(directory, ignore_errors=True)


_databases = iter(range(1, 64))


@pytest.fixture
def redis_url(redis_server):
    """A fresh database number on the session's server."""
    return f"redis://127.0.0.1:{redis_server}/{next(_databases)}"
