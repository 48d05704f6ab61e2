"""`routilux resume` errors speak CLI, not Python: a spec lacking a routine the job
ran, and a job that already completed (the Python API keeps its own advice)."""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from cli_process import EXAMPLES, routilux

from routilux import Flow
from routilux.errors import JobStateError, RoutineNotFoundError, message_with_notes
from routilux.store import open_store


def without_legal(tmp_path: pathlib.Path) -> pathlib.Path:
    """two_approvals.toml (same flow_id) without the `legal` routine and its connections."""
    text = (EXAMPLES / "two_approvals.toml").read_text()
    text = re.sub(r"\[routines\.legal\]\n(.+\n){2}", "", text)
    text = text.replace('[[connections]]\nfrom = "request.output"\nto = "legal.input"\n', "")
    text = text.replace('[[connections]]\nfrom = "legal.answer"\nto = "legal_decision.input"\n', "")
    assert "routines.legal]" not in text
    spec = tmp_path / "cut.toml"
    spec.write_text(text)
    return spec


def paused_job(tmp_path: pathlib.Path) -> str:
    run = routilux(
        "run",
        str(EXAMPLES / "two_approvals.toml"),
        "--param",
        "title=x",
        "--param",
        f"output={tmp_path / 'out.json'}",
        cwd=tmp_path,
    )
    assert run.returncode == 3, run.stderr
    return re.search(r"resume with: routilux resume (\S+)", run.stdout).group(1)


def status_of(job_id: str, cwd: pathlib.Path) -> str:
    shown = routilux("show", job_id, "--json", cwd=cwd)
    return str(json.loads(shown.stdout)["status"])


@pytest.mark.parametrize(
    "answer",
    [
        ["--answer", "legal", "approved=yes", "note=ok"],  # the missing routine's own point
        ["--answer", "budget", "approved=yes"],  # the other: the job would wait forever
    ],
)
def test_resume_with_a_spec_lacking_a_routine_of_the_job(tmp_path, answer):
    job_id = paused_job(tmp_path)
    cut = without_legal(tmp_path)
    resumed = routilux("resume", job_id, "--spec", str(cut), *answer, cwd=tmp_path)
    assert resumed.returncode == 2 and "Traceback" not in resumed.stderr
    assert f"the spec {cut} has no routine 'legal' that job {job_id} ran" in resumed.stderr
    assert "resume with the spec the job was started from" in resumed.stderr
    assert "add_routine" not in resumed.stderr
    assert status_of(job_id, tmp_path) == "paused"


def test_resume_of_a_completed_job_says_run_it_again(tmp_path):
    job_id = paused_job(tmp_path)
    both = ["--answer", "budget", "approved=yes", "--answer", "legal", "approved=no", "note=x"]
    assert routilux("resume", job_id, *both, cwd=tmp_path).returncode == 0
    again = routilux("resume", job_id, cwd=tmp_path)
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert f"job {job_id} is completed" in again.stderr
    assert "start a new run with `routilux run " in again.stderr
    assert "two_approvals.toml`" in again.stderr and "execute()" not in again.stderr


def test_the_python_api_keeps_its_python_advice(tmp_path):
    job_id = paused_job(tmp_path)
    with open_store(f"sqlite:///{tmp_path}/.routilux/jobs.db") as store:
        job = store.load(job_id)
    flow = Flow.from_file(str(without_legal(tmp_path)), params={"output": "o.json"})
    try:
        with pytest.raises(RoutineNotFoundError) as raised:
            flow.resume(job, answers={"legal": {"approved": "yes", "note": "ok"}})
        assert "add it with add_routine first" in message_with_notes(raised.value)
    finally:
        flow.shutdown()
    job.status = "completed"
    flow = Flow.from_file(str(EXAMPLES / "two_approvals.toml"), params={"output": "o.json"})
    try:
        with pytest.raises(JobStateError, match=r"execute\(\)"):
            flow.resume(job)
    finally:
        flow.shutdown()
