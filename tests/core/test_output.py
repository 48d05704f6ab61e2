"""core/output.py: the output handlers stamp what they receive with timezone-aware UTC."""

from __future__ import annotations

from datetime import datetime, timedelta

from routilux import CallbackOutputHandler, QueueOutputHandler


def test_an_output_without_a_timestamp_is_stamped_in_utc():
    queued = QueueOutputHandler()
    queued.handle("job", "r", "progress", {"n": 1})
    stamp = datetime.fromisoformat(queued.queue.get_nowait()["timestamp"])
    assert stamp.utcoffset() == timedelta(0)
    received = []
    CallbackOutputHandler(lambda *args: received.append(args[4])).handle("job", "r", "t", {})
    assert received[0].utcoffset() == timedelta(0)
