"""Copies of a JobState's dicts and log that write changes back through its methods.

`job.shared_data`, `job.routine_states` and `job.shared_log` return copies, so a
reader never sees a half-made change and no caller holds the job's own containers.
Programs written for routilux 0.10 also assign into them (``job.shared_data["total"]
= 3``, ``job.shared_log.append(entry)``); these copies turn such a change into the
locked, checked update the JobState method makes. Whether nested values are the
job's own or copies is the JobState's choice (copies when the job is saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import UsageError


class WriteThroughDict(dict[str, Any]):
    """A dict copy whose item assignments also call `write(key, value)`, then hold what
    `read(key)` gives: what the JobState stored (its own value in a job that is never
    saved, so ``view.setdefault(k, {})["n"] = 1`` reaches the job as in 0.10)."""

    __slots__ = ("_write", "_read")

    def __init__(
        self,
        data: dict[str, Any],
        write: Callable[[str, Any], None],
        read: Callable[[str], Any],
    ) -> None:
        super().__init__(data)
        self._write = write
        self._read = read

    def writes_to(self, write: Callable[[str, Any], None]) -> bool:
        """Whether this view writes through `write` (a JobState's update method)."""
        return self._write == write

    def __setitem__(self, key: str, value: Any) -> None:
        self._write(key, value)
        super().__setitem__(key, self._read(key))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def _cannot_remove(self, *args: Any) -> Any:
        raise UsageError(
            "a key cannot be removed through this copy of the job's data (the job would "
            "keep it); set its value instead: job.update_shared_data(key, None), "
            "job.update_routine_state(routine_id, {})"
        )

    __delitem__ = popitem = clear = _cannot_remove
    pop = _cannot_remove  # type: ignore[assignment]

    def __ior__(self, other: Any) -> WriteThroughDict:  # type: ignore[override,misc]
        self.update(other)
        return self

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]


class WriteThroughList(list[Any]):
    """A list copy whose appends also call `write(item)` (the shared log's append)."""

    __slots__ = ("_write",)

    def __init__(self, items: list[Any], write: Callable[[Any], None]) -> None:
        super().__init__(items)
        self._write = write

    def append(self, item: Any) -> None:
        self._write(item)
        super().append(item)

    def extend(self, items: Any) -> None:
        for item in items:
            self.append(item)

    def __iadd__(self, items: Any) -> WriteThroughList:  # type: ignore[override,misc]
        self.extend(items)
        return self

    def writes_to(self, write: Callable[[Any], None]) -> bool:
        """Whether this view writes through `write` (a JobState's append method)."""
        return self._write == write

    def insert(self, index: Any, item: Any) -> None:
        raise UsageError(
            "the shared log is append-only: add entries with job.append_to_shared_log(entry) "
            "(or job.shared_log.append(entry))"
        )


def refuse_unless_view(value: Any, write: Callable[..., None], name: str) -> None:
    """A JobState property setter's check: ``job.shared_data |= {...}`` (and ``+=`` on
    the shared log) assign the view back, which has written through already; any other
    assignment is refused, naming what to use."""
    if isinstance(value, (WriteThroughDict, WriteThroughList)) and value.writes_to(write):
        return
    raise UsageError(
        f"job.{name} cannot be replaced as a whole; change it item by item "
        f"(job.{name}[key] = value, or its update method), or append to the shared log"
    )
