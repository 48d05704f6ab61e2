"""Seed-example tests run in a temporary working directory (examples write files)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
