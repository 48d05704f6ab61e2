"""What every group of store checks shares: the fixtures a store's tests provide."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from ..store import JobStore


class StoreChecks:
    """The base of each group of checks. A store's test class provides a ``store``
    fixture (a fresh, empty store); ``open_same`` (a function opening a second store
    on the same data) defaults to ``lambda: open_store(store.url)``."""

    #: Whether a second process sees the jobs (False for in-process stores).
    shared_between_processes: ClassVar[bool] = True

    @pytest.fixture
    def open_same(self, store: JobStore) -> Any:
        from ..store import open_store

        return lambda: open_store(store.url)
