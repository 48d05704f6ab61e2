"""The saved form of times: `iso_utc` writes what ``datetime.isoformat`` writes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from routilux.times import iso_utc


@pytest.mark.parametrize(
    "ts",
    [
        0.0,
        1.5,
        1_767_225_600.0,  # a whole second: no fraction written
        1_767_225_600.000001,  # one microsecond: zero-padded
        1_767_225_600.123456,
        1_767_225_600.9999996,  # rounds up into the next second
        1_767_225_601.0000004,  # then back within that second
        -1.25,  # before 1970
    ],
)
def test_iso_utc_writes_what_isoformat_writes(ts):
    assert iso_utc(ts) == datetime.fromtimestamp(ts, timezone.utc).isoformat()


def test_iso_utc_of_times_in_one_second_and_the_next():
    # the date-and-time text is remembered per second: a later second gets its own
    for ts in (1_000.25, 1_000.5, 1_001.75, 1_000.125):
        assert iso_utc(ts) == datetime.fromtimestamp(ts, timezone.utc).isoformat()
