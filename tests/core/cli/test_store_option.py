"""``--store ''`` (say, ``--store "$UNSET_VAR"``) is refused, not silently the default
store: every command that takes --store exits 2 naming it, and makes no store."""

from __future__ import annotations

import pathlib

import pytest

from routilux.cli import main

EXAMPLES = pathlib.Path(__file__).parents[3] / "examples"


@pytest.mark.parametrize(
    "command",
    [
        ["jobs"],
        ["show", "some-job"],
        ["rm", "some-job"],
        ["prune"],
        ["history", "some-job"],
        ["fork", "some-job", "--at", "1"],
        ["resume", "some-job"],
        ["run", str(EXAMPLES / "wordcount.toml")],
        ["serve"],
    ],
)
@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_store_url_is_refused(command, empty, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROUTILUX_STORE", raising=False)
    assert main([*command, "--store", empty]) == 2
    err = capsys.readouterr().err
    assert f"--store {empty!r} is empty; give a store URL" in err
    assert "Traceback" not in err
    assert not (tmp_path / ".routilux").exists()  # the default store was not made
