"""io.read_lines, io.read_json, io.write_json, io.write_lines."""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import outputs_of

from routilux import Flow, FlowSpecError


def test_read_lines_emits_non_blank_lines_with_their_numbers(tmp_path, run_spec):
    source = tmp_path / "in.txt"
    source.write_text("one\n\n two \nthree\n")
    _, job = run_spec(
        {
            "entry": "read",
            "routines": {"read": {"type": "io.read_lines", "config": {"path": str(source)}}},
        }
    )
    assert outputs_of(job, "read") == [
        {"text": "one", "number": 1},
        {"text": " two ", "number": 3},
        {"text": "three", "number": 4},
    ]


def test_read_lines_of_a_missing_file_fails_the_job_naming_it(tmp_path, run_spec):
    _, job = run_spec(
        {
            "entry": "read",
            "routines": {
                "read": {"type": "io.read_lines", "config": {"path": str(tmp_path / "nope.txt")}}
            },
        }
    )
    assert job.status == "failed"
    assert "nope.txt" in job.get_routine_state("read")["error"]


def test_read_json_emits_the_document_or_each_item(tmp_path, run_spec):
    source = tmp_path / "in.json"
    source.write_text(json.dumps([{"id": 1}, {"id": 2}]))
    _, whole = run_spec(
        {"entry": "r", "routines": {"r": {"type": "io.read_json", "config": {"path": str(source)}}}}
    )
    assert outputs_of(whole, "r") == [{"data": [{"id": 1}, {"id": 2}]}]
    _, each = run_spec(
        {
            "entry": "r",
            "routines": {
                "r": {"type": "io.read_json", "config": {"path": str(source), "each": True}}
            },
        }
    )
    assert outputs_of(each, "r") == [
        {"item": {"id": 1}, "index": 0},
        {"item": {"id": 2}, "index": 1},
    ]


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_writers_write_once_when_the_upstream_has_ended(tmp_path, run_spec, strategy):
    source = tmp_path / "in.txt"
    source.write_text("".join(f"line {n}\n" for n in range(50)))
    spec = {
        "entry": "read",
        "routines": {
            "read": {"type": "io.read_lines", "config": {"path": str(source)}},
            "lines": {"type": "io.write_lines", "config": {"path": str(tmp_path / "out.txt")}},
            "json": {
                "type": "io.write_json",
                "config": {"path": str(tmp_path / "out.json"), "key": "number"},
            },
        },
        "connections": [
            {"from": "read.line", "to": "lines.input"},
            {"from": "read.line", "to": "json.input"},
        ],
    }
    _, job = run_spec(spec, strategy=strategy)
    assert job.status == "completed"
    assert (tmp_path / "out.txt").read_text().splitlines() == [f"line {n}" for n in range(50)]
    assert json.loads((tmp_path / "out.json").read_text()) == list(range(1, 51))
    assert outputs_of(job, "lines") == [{"path": str(tmp_path / "out.txt"), "count": 50}]


def test_write_json_needs_a_path():
    with pytest.raises(FlowSpecError, match="routines.save.config.path: required"):
        Flow.from_spec({"routines": {"save": {"type": "io.write_json"}}})


def test_writers_honour_the_umask(tmp_path, run_spec):
    """User outputs get the usual permissions (stored jobs stay private)."""
    spec = {
        "entry": "read",
        "routines": {
            "read": {"type": "io.read_lines", "config": {"path": str(tmp_path / "in.txt")}},
            "lines": {"type": "io.write_lines", "config": {"path": str(tmp_path / "out.txt")}},
            "json": {"type": "io.write_json", "config": {"path": str(tmp_path / "out.json")}},
        },
        "connections": [
            {"from": "read.line", "to": "lines.input"},
            {"from": "read.line", "to": "json.input"},
        ],
    }
    (tmp_path / "in.txt").write_text("a\nb\n")
    old = os.umask(0o022)
    try:
        _, job = run_spec(spec)
    finally:
        os.umask(old)
    assert job.status == "completed"
    for name in ("out.txt", "out.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
