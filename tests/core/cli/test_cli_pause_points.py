"""`routilux resume --answer`: two approvals waiting at once, answered by pause id."""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from cli_process import EXAMPLES, routilux


def status_of(job_id: str, cwd: pathlib.Path) -> str:
    shown = routilux("show", job_id, "--json", cwd=cwd)
    return str(json.loads(shown.stdout)["status"])


@pytest.mark.parametrize("first", ["budget", "legal"])
def test_two_approvals_answered_from_the_cli_in_either_order(tmp_path, first):
    out = tmp_path / "approvals.json"
    run = routilux(
        "run",
        str(EXAMPLES / "two_approvals.toml"),
        "--param",
        "title=New laptop",
        "--param",
        f"output={out}",
        cwd=tmp_path,
    )
    assert run.returncode == 3, run.stderr
    assert "budget: Is it in the budget?  (fields: approved)" in run.stdout
    assert "legal: Are the terms acceptable?  (fields: approved, note)" in run.stdout
    command = re.search(r"resume with: (.+)", run.stdout).group(1).split()
    job_id = command[2]
    assert command[command.index("--answer") :][:3] == ["--answer", "budget", "approved=..."]

    shown = routilux("show", job_id, cwd=tmp_path)
    assert "budget  [budget]  Is it in the budget?" in shown.stdout

    # a wrong field name: exit 2, nothing consumed, the job still paused and answerable
    wrong = routilux("resume", job_id, "--answer", "budget", "aproved=yes", cwd=tmp_path)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "'aproved'" in wrong.stderr and "expects exactly: approved" in wrong.stderr
    assert status_of(job_id, tmp_path) == "paused"
    no_value = routilux("resume", job_id, "--answer", "budget", cwd=tmp_path)
    assert no_value.returncode == 2 and "--answer budget approved=yes" in no_value.stderr
    both_wait = routilux("resume", job_id, "--input", "approved=yes", cwd=tmp_path)
    assert both_wait.returncode == 2 and "--answer PAUSE_ID" in both_wait.stderr

    answers = {
        "budget": ["--answer", "budget", "approved=yes"],
        "legal": ["--answer", "legal", "approved=no", "note=too risky"],
    }
    second = "legal" if first == "budget" else "budget"
    one = routilux("resume", job_id, *answers[first], cwd=tmp_path)
    assert one.returncode == 3, one.stderr
    assert f"{second}: " in one.stdout and not out.exists()
    two = routilux("resume", job_id, *answers[second], cwd=tmp_path)
    assert two.returncode == 0, two.stderr
    assert sorted(json.loads(out.read_text())) == ["budget: yes", "legal: no (too risky)"]


def summary_statuses(stdout: str) -> dict[str, str]:
    """``{routine: status}`` from the summary table a run or resume prints."""
    rows = stdout.split("activations  errors  status\n", 1)[1].splitlines()
    found = {}
    for row in rows:
        parts = row.split()
        if len(parts) != 4 or not parts[1].isdigit():
            break
        found[parts[0]] = parts[3]
    return found


def test_the_summary_of_a_resume_shows_what_ran_before_and_what_still_waits(tmp_path):
    # a resume counts only its own activations: the routines answered or run before it
    # must not read "pending", and a routine at an unanswered pause point reads "waiting"
    out = tmp_path / "approvals.json"
    spec = str(EXAMPLES / "two_approvals.toml")
    run = routilux("run", spec, "--param", "title=Desk", "--param", f"output={out}", cwd=tmp_path)
    assert run.returncode == 3, run.stderr
    first = summary_statuses(run.stdout)
    assert first["request"] == "completed"
    assert first["budget"] == first["legal"] == "waiting"
    assert first["budget_decision"] == first["record"] == "pending"
    job_id = re.search(r"resume with: (.+)", run.stdout).group(1).split()[2]

    one = routilux("resume", job_id, "--answer", "legal", "approved=yes", "note=ok", cwd=tmp_path)
    assert one.returncode == 3, one.stderr
    after_one = summary_statuses(one.stdout)
    assert after_one["budget"] == "waiting" and after_one["budget_decision"] == "pending"
    assert after_one["legal"] == after_one["legal_decision"] == "completed"

    two = routilux("resume", job_id, "--answer", "budget", "approved=no", cwd=tmp_path)
    assert two.returncode == 0, two.stderr
    assert set(summary_statuses(two.stdout).values()) == {"completed"}
    shown = routilux("show", job_id, cwd=tmp_path)
    head = shown.stdout.split("routines:")[0]  # a finished job shows no stale pause prompt
    assert "completed" in head and "pause" not in head
