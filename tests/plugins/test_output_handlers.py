"""The built-in output handlers registered by name (plugins/output_handlers.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from routilux import registry


def test_jsonl_stamps_an_output_without_a_timestamp_in_utc(tmp_path):
    path = tmp_path / "out.jsonl"
    handler = registry.get_output_handler("jsonl")(path=str(path))
    handler.handle("job", "r", "progress", {"n": 1})
    (line,) = path.read_text(encoding="utf-8").splitlines()
    assert datetime.fromisoformat(json.loads(line)["timestamp"]).utcoffset() == timedelta(0)


def test_jsonl_writes_a_jobs_local_time_in_utc(tmp_path):
    path = tmp_path / "out.jsonl"
    handler = registry.get_output_handler("jsonl")(path=str(path))
    local = datetime(2026, 1, 2, 12, 0)  # as JobState.send_output stamps: local, naive
    handler.handle("job", "r", "progress", {"n": 1}, local)
    (line,) = path.read_text(encoding="utf-8").splitlines()
    written = datetime.fromisoformat(json.loads(line)["timestamp"])
    assert written.utcoffset() == timedelta(0) and written == local.astimezone()
