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
_HANDLER_NAME = "routilux-cli"


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": _without_traceback(record),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def _without_traceback(record: logging.LogRecord) -> str:
    """The message minus a failed handler's traceback, which the record also carries
    as its ``traceback`` field."""
    text = record.getMessage()
    trace = getattr(record, "traceback", "")
    if trace and text.endswith(trace):
        text = text[: -len(trace)].rstrip()
    return text


class SummaryTextFormatter(logging.Formatter):
    """Plain ``message`` lines, without a failed handler's traceback: `routilux run`
    prints that traceback once, in its end-of-run summary."""

    def format(self, record: logging.LogRecord) -> str:
        text = _without_traceback(record)
        if getattr(record, "traceback", ""):
            text += " (traceback in the summary)"
        return text


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Send routilux's log records to stderr: one JSON object a line for ``json``;
    for ``text``, warnings and errors as plain lines, as Python would print them
    with no logging set up, but without the tracebacks the summary shows."""
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    logger = logging.getLogger("routilux")
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(old)  # an earlier command in this process configured it
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
        logger.setLevel(level)
    else:
        handler.setFormatter(SummaryTextFormatter())
        handler.setLevel(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
