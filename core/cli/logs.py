"""``--log-format json``: the run's log records as one JSON object a line on stderr.

Each line has ``time`` (ISO 8601, UTC), ``level``, ``logger`` and ``message``,
the fields a record was logged with (``extra={"job_id": ...}``), and
``exc_info`` (the formatted traceback) when there is one: what log collectors
ingest without parsing text.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import Any

# attributes every LogRecord has; anything else was passed as `extra`
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Send routilux's log records to stderr in `log_format` (``text`` leaves logging
    as it is)."""
    if log_format != "json":
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("routilux")
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
