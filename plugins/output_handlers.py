"""Built-in output handlers, by name: ``queue``, ``callback``, ``null``, ``jsonl``, ``print``."""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime, timezone
from typing import Any, TextIO

import routilux
from routilux import CallbackOutputHandler, NullOutputHandler, OutputHandler, QueueOutputHandler


class JsonLinesOutputHandler(OutputHandler):
    """Appends each output as one JSON line to the file at `path`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()

    def handle(
        self,
        job_id: str,
        routine_id: str,
        output_type: str,
        data: dict[str, Any],
        timestamp: datetime | None = None,
    ) -> None:
        line = json.dumps(
            {
                "job_id": job_id,
                "routine_id": routine_id,
                "output_type": output_type,
                "data": data,
                # in UTC, also when given a JobState's local time (naive)
                "timestamp": (timestamp or datetime.now(timezone.utc))
                .astimezone(timezone.utc)
                .isoformat(),
            },
            ensure_ascii=False,
        )
        with self._lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


class PrintOutputHandler(OutputHandler):
    """Prints each output as ``[routine_id] output_type: data``."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def handle(
        self,
        job_id: str,
        routine_id: str,
        output_type: str,
        data: dict[str, Any],
        timestamp: datetime | None = None,
    ) -> None:
        print(f"[{routine_id}] {output_type}: {data}", file=self.stream or sys.stdout, flush=True)


@routilux.hookimpl
def routilux_output_handlers() -> dict[str, Any]:
    return {
        "queue": QueueOutputHandler,
        "callback": CallbackOutputHandler,
        "null": NullOutputHandler,
        "jsonl": JsonLinesOutputHandler,
        "print": PrintOutputHandler,
    }
