"""The SQLite store's done list: the text a job's row holds for completed activations
whose pending rows are still there (loads skip those seqs)."""

from __future__ import annotations

from routilux.plugins.stores.done_list import (
    DEFERRED_DELETES,
    DONE_RANGES,
    NOTHING_DONE,
    done_ranges,
)


def test_activations_done_in_order_grow_the_last_range():
    done = NOTHING_DONE
    for seq in range(3, 8):
        done = done.adding([seq])
    assert done is not None
    assert (done.text, done.ranges, done.size) == ("3-7", ((3, 7),), 5)


def test_activations_done_out_of_order_make_ranges_that_join_when_filled():
    done = NOTHING_DONE.adding([3])
    assert done is not None
    done = done.adding([9, 5])
    assert done is not None
    assert done.text == "3-3,5-5,9-9"
    done = done.adding([10])  # in order after the last range
    assert done is not None and done.text == "3-3,5-5,9-10"
    done = done.adding([4, 6, 7, 8])
    assert done is not None
    assert (done.text, done.ranges) == ("3-10", ((3, 10),))
    # what the row holds reads back as the same ranges
    assert done_ranges(done.text) == list(done.ranges)


def test_a_list_past_its_bounds_asks_for_the_rows_to_be_deleted():
    done = NOTHING_DONE
    for seq in range(DEFERRED_DELETES):
        done = done.adding([seq])
    assert done is not None and done.adding([DEFERRED_DELETES]) is None
    scattered = NOTHING_DONE.adding([2 * n for n in range(DONE_RANGES)])
    assert scattered is not None and len(scattered.ranges) == DONE_RANGES
    assert scattered.adding([2 * DONE_RANGES + 1]) is None
