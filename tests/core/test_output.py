"""core/output.py: the output handlers stamp what they receive with the local time,
naive, as routilux 0.10 did and as a JobState shows every time."""

from __future__ import annotations

from datetime import datetime

from routilux import CallbackOutputHandler, QueueOutputHandler


def test_an_output_without_a_timestamp_is_stamped_with_the_local_time():
    before = datetime.now()
    queued = QueueOutputHandler()
    queued.handle("job", "r", "progress", {"n": 1})
    stamp = datetime.fromisoformat(queued.queue.get_nowait()["timestamp"])
    assert stamp.tzinfo is None and before <= stamp <= datetime.now()
    received = []
    CallbackOutputHandler(lambda *args: received.append(args[4])).handle("job", "r", "t", {})
    assert received[0].tzinfo is None and before <= received[0] <= datetime.now()
