"""Helpers for the seed-example tests: output normalization and a gate for timing.

The seed documents' examples print UUIDs, timestamps and thread names; `normalize`
replaces them so the rest of the output can be compared exactly.
"""

from __future__ import annotations

import re
import threading

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00)?")


def normalize(text: str) -> str:
    """Replace UUIDs and timestamps by placeholders."""
    return TIMESTAMP.sub("<TIME>", UUID.sub("<UUID>", text)).strip()


class Gate:
    """Lets a test hold a handler until it has looked at the job (deterministic timing)."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.entered = threading.Event()

    def wait(self) -> None:
        self.entered.set()
        assert self.opened.wait(30), "the test never opened the gate"

    def open_later(self, seconds: float = 0.05) -> threading.Timer:
        """Open the gate from another thread (for calls that wait for the handler)."""
        timer = threading.Timer(seconds, self.opened.set)
        timer.start()
        return timer
