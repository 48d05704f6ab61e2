"""Copies of a JobState's dicts that write assignments back through its methods.

`job.shared_data` and `job.routine_states` return copies, so a reader never sees
a half-made change and no caller holds the job's live data. Programs written for
routilux 0.10 also assign into them (``job.shared_data["total"] = 3``); these
copies turn such an assignment into the locked, checked update the JobState
method makes. Changes to nested values stay in the copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class WriteThroughDict(dict[str, Any]):
    """A dict copy whose item assignments also call `write(key, value)`."""

    __slots__ = ("_write",)

    def __init__(self, data: dict[str, Any], write: Callable[[str, Any], None]) -> None:
        super().__init__(data)
        self._write = write

    def __setitem__(self, key: str, value: Any) -> None:
        self._write(key, value)
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]
