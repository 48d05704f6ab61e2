"""A real PostgreSQL server on 127.0.0.1 for the session, from the Debian package.

Missing server binaries are a failure with the install command, not a skip. As root
the server runs as the `postgres` user the package creates (PostgreSQL refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

INSTALL = "apt-get install -y postgresql   (Debian/Ubuntu; the tests start their own server)"


def _bindir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for path in reversed(candidates):
        if os.path.exists(os.path.join(path, "initdb")):
            return path
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(found)
    pytest.fail(f"PostgreSQL server binaries (initdb, pg_ctl) not found; install them: {INSTALL}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    bindir = _bindir()
    base = tempfile.mkdtemp(prefix="routilux-pg-")
    os.chmod(base, 0o777)
    data = os.path.join(base, "data")
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, text=True, timeout=120)

    run(f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "routilux", "--no-sync")
    run(
        f"{bindir}/pg_ctl",
        "-D",
        data,
        "-l",
        os.path.join(base, "log"),
        "-w",
        "-t",
        "60",
        "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    url = f"postgresql://routilux@127.0.0.1:{port}/postgres"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    yield url
    subprocess.run(
        [*as_user, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
        capture_output=True,
        timeout=60,
    )
    shutil.rmtree(base, ignore_errors=True)
