"""The two kinds of time routilux keeps: local times a JobState shows, UTC in saved data.

A JobState shows local, naive times (``datetime.now()``), as routilux 0.10 and the
seeds have them: history records, ``created_at``, log entries, ``error_time``.
Saved documents hold every time in UTC, so that a job saved on one host reads
right on another; stores, leases and checkpoint listings work in UTC too.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def utcnow() -> datetime:
    """Timezone-aware UTC: the times stores, leases and checkpoints keep."""
    return datetime.now(timezone.utc)


def now_local() -> datetime:
    """The time a JobState shows: local and naive."""
    return datetime.now()


def utc_iso(moment: datetime) -> str:
    """`moment` (naive: local time) in UTC as ISO 8601, as saved documents hold times."""
    return moment.astimezone(timezone.utc).isoformat()


def local_naive(moment: datetime) -> datetime:
    """`moment` as a JobState shows times: an aware one in local time, without zone."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo is not None else moment


def shown_time(value: Any) -> datetime:
    """A saved ISO-8601 time as a JobState shows it (a naive one, as routilux 0.10
    wrote them, is local time already)."""
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO-8601 timestamp string, got {type(value).__name__}")
    return local_naive(datetime.fromisoformat(value))


def epoch_of(value: Any) -> float:
    """A saved ISO-8601 time as ``time.time()`` seconds, as history entries keep it
    (read once per record: no detour through a shown datetime)."""
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO-8601 timestamp string, got {type(value).__name__}")
    return datetime.fromisoformat(value).timestamp()


#: ``(second, "YYYY-MM-DDTHH:MM:SS.", "YYYY-MM-DDTHH:MM:SS+00:00")`` of the last `iso_utc`
#: call: replaced whole (one reference), so threads never see a second paired with
#: another second's text.
_last_second: tuple[float, str, str] = (-1.0, "", "")


def iso_utc(ts: float) -> str:
    """``datetime.fromtimestamp(ts, timezone.utc).isoformat()``, about 4x faster.

    Histories are written thousands of records at a time, and a checkpoint per
    activation writes the job's time on every activation, mostly within the same
    second: the date-and-time part is cached per second, and the microseconds are
    written without a format spec (parsing ``06d`` cost a third of the call).
    """
    global _last_second
    second = ts // 1
    micros = round((ts - second) * 1_000_000)
    cached = _last_second
    if cached[0] != second or micros >= 1_000_000:
        if micros >= 1_000_000:
            second += 1
            micros -= 1_000_000
        prefix = datetime.fromtimestamp(second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        cached = _last_second = (second, f"{prefix}.", f"{prefix}+00:00")
    if micros:
        # the six digits of 1_000_000 + micros after its leading 1: zero-padded
        return f"{cached[1]}{str(1_000_000 + micros)[1:]}+00:00"
    return cached[2]
