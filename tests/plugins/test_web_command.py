"""``routilux serve`` without the web extra says how to get it (and exits 2)."""

from __future__ import annotations

import sys

import pytest

from routilux.cli import main


def test_serve_without_the_web_extra_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'routilux[web]'" in err
    assert "uvicorn" in err
