"""`routilux validate` prints a one-line summary a user reads: counts with their nouns."""

from __future__ import annotations

import pathlib

import pytest

from routilux.cli import main

SPEC = """
flow_id = "one"
entry = "norm"

[routines.norm]
type = "text.normalize"

[routines.shout]
type = "data.map"
config = { field = "text", transform = "upper" }

[[connections]]
from = "norm.output"
to = "shout.input"
"""


def test_validate_counts_one_connection_in_the_singular(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "one.toml"
    spec.write_text(SPEC, encoding="utf-8")
    assert main(["validate", str(spec)]) == 0
    assert capsys.readouterr().out.strip() == f"{spec}: ok: 2 routines, 1 connection, entry norm"
