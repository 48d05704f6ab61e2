"""``routilux run --log-format json``: structured log lines on stderr."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).parents[3]
EXAMPLES = ROOT / "examples"


def run(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "routilux", "run", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_logs_name_the_job_and_the_failure_with_its_traceback(tmp_path: pathlib.Path) -> None:
    result = run(
        str(EXAMPLES / "wordcount.toml"),
        "--param",
        "input=missing.txt",
        "--param",
        "output=out.json",
        "--no-store",
        "--log-format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    # The engine logs the handler's failure with its traceback; the command logs the job.
    (engine_failure,) = [line for line in lines if line["logger"] == "routilux.activation"]
    assert "Traceback (most recent call last)" in engine_failure["traceback"]
    assert "Traceback" not in engine_failure["message"]  # carried once, in its own field
    started, failed, finished = [line for line in lines if line["logger"] == "routilux.cli"]
    job_id = started["job_id"]
    assert (started["level"], started["flow_id"], started["message"]) == (
        "info",
        "wordcount",
        f"job {job_id} started",
    )
    assert failed["level"] == "warning"
    assert (failed["job_id"], failed["routine_id"], failed["slot"], failed["attempt"]) == (
        job_id,
        "read",
        "trigger",
        0,
    )
    assert failed["error_type"] == "FileNotFoundError"
    assert "Traceback (most recent call last)" in failed["exc_info"]
    assert (finished["level"], finished["status"], finished["job_id"]) == (
        "error",
        "failed",
        job_id,
    )
    assert all(line["time"].endswith("+00:00") for line in lines)


def test_text_is_the_default_and_logs_nothing_for_a_good_run(tmp_path: pathlib.Path) -> None:
    result = run(
        str(EXAMPLES / "wordcount.toml"),
        "--param",
        f"input={EXAMPLES / 'alice.txt'}",
        "--param",
        "output=out.json",
        "--no-store",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_text_logs_leave_the_traceback_to_the_summary(tmp_path: pathlib.Path) -> None:
    result = run(
        str(EXAMPLES / "wordcount.toml"),
        "--param",
        "input=missing.txt",
        "--param",
        "output=out.json",
        "--no-store",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "handler of read.trigger" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("Traceback (most recent call last)") == 1
