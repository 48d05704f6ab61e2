"""The `routilux` command run as a user runs it: a separate process (``python -m
routilux``), its output captured. Shared by the CLI tests that need a real process."""

from __future__ import annotations

import pathlib
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).parents[3] / "examples"


def routilux(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    """Run ``routilux ARGS`` in `cwd`; generous timeout for a loaded machine."""
    return subprocess.run(
        [sys.executable, "-m", "routilux", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
