"""The shared store conformance suite, run over the built-in stores."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from routilux import JobStore, open_store
from routilux.store_conformance import StoreConformance


class TestMemoryStore(StoreConformance):
    shared_between_processes = False

    @pytest.fixture
    def store(self) -> Iterator[JobStore]:
        with open_store(f"memory://{uuid.uuid4()}") as store:
            yield store


class TestFileStore(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path) -> Iterator[JobStore]:
        with open_store(f"file://{tmp_path}/jobs") as store:
            yield store


class TestSQLiteStore(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path) -> Iterator[JobStore]:
        with open_store(f"sqlite:///{tmp_path}/jobs.db") as store:
            yield store
