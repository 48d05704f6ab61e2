"""The SQLite store's done list: completed activations whose pending rows are still there.

A save after an activation writes only the job's row (one UPDATE); the completed
activation's pending row is listed in that row instead of deleted, as a range of seqs
(``"3-250,260-261"``), and the listed rows are deleted together later, by range. Loads
skip the listed seqs. Its own module because it is the one piece of that store's format
with rules of its own (ranges joined, bounds, the older comma lists still read).
"""

from __future__ import annotations

from typing import NamedTuple

#: Completed activations whose pending rows a save leaves for later: their seqs are
#: listed in the job's row (``jobs.done``, as ranges ``first-last``, which loads skip)
#: and their rows deleted together, by range, once there are more than this many (or
#: more than `DONE_RANGES` ranges), so that the usual save after an activation is one
#: UPDATE of the job's row and a batch of deletes rewrites few pages.
DEFERRED_DELETES = 256
#: Ranges the done list holds at most (activations completing out of order).
DONE_RANGES = 16


class DoneList(NamedTuple):
    """A job's done list as this store last wrote it: completed activations whose
    pending rows are still there, as ranges of seqs. `before` are all its ranges but
    the last, ``(first, last)`` seqs each; `first` and `last` the last range (`first`
    above `last`: the list is empty); `stem` the text of the row up to `last`
    (``"3-9,12-"``) and `text` all of it (``"3-9,12-14"``); `size` how many seqs the
    ranges cover. The last range apart because a save after an activation completed in
    order only moves its end (`adding`, on every save)."""

    before: tuple[tuple[int, int], ...]
    first: int
    last: int
    stem: str
    text: str
    size: int

    @property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        """Every range, ``(first, last)`` seqs, in order."""
        if self.first > self.last:
            return self.before
        return (*self.before, (self.first, self.last))

    def adding(self, seqs: list[int]) -> DoneList | None:
        """The done list with `seqs` added too, or None if it would be longer than
        `DEFERRED_DELETES` seqs or `DONE_RANGES` ranges (delete the rows then)."""
        if not seqs:
            return self
        before, first, last, stem, _, size = self  # unpacked: a named tuple's names are lookups
        size += len(seqs)
        if size > DEFERRED_DELETES:
            return None
        if len(seqs) == 1 and last + 1 == seqs[0] and first <= last:  # in order: the usual
            seq = seqs[0]
            # tuple.__new__: a named tuple's own __new__ is a Python call (once per save)
            return _tuple(DoneList, (before, first, seq, stem, stem + str(seq), size))
        ranges = merged_ranges([*self.ranges, *((seq, seq) for seq in seqs)])
        if len(ranges) > DONE_RANGES:
            return None
        return done_list(ranges, size)


def done_list(ranges: tuple[tuple[int, int], ...], size: int) -> DoneList:
    """The done list of `ranges` (sorted, disjoint, at least one) covering `size` seqs."""
    *before, (first, last) = ranges
    stem = "".join(f"{a}-{b}," for a, b in before) + f"{first}-"
    return DoneList(tuple(before), first, last, stem, f"{stem}{last}", size)


NOTHING_DONE = DoneList((), 1, 0, "", "", 0)
_tuple = tuple.__new__


def merged_ranges(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """`ranges` of seqs sorted, with overlapping and adjacent ones joined."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if joined and first <= joined[-1][1] + 1:
            if last > joined[-1][1]:
                joined[-1] = (joined[-1][0], last)
        else:
            joined.append((first, last))
    return tuple(joined)


def done_ranges(text: str) -> list[tuple[int, int]]:
    """The ranges of a stored done list: ``first-last`` or single seqs (as written
    before ranges), separated by commas."""
    ranges = []
    for part in text.split(","):
        if part:
            first, _, last = part.partition("-")
            ranges.append((int(first), int(last or first)))
    return ranges
