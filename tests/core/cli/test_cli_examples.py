"""The `routilux` command on the two shipped examples, run as a user would (subprocess)."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
from collections import Counter

import pytest
from cli_process import EXAMPLES, routilux


@pytest.fixture
def workdir(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path


def expected_top_words(path: pathlib.Path, top: int) -> dict[str, int]:
    """What text.normalize + data.count_words + sum + top-n should find, computed here."""
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"[^\w\s']+|(?<!\w)'|'(?!\w)", " ", line.lower())
        counts.update(re.findall(r"[\w']+", line))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:top])


def test_wordcount_example_writes_the_top_words(workdir: pathlib.Path) -> None:
    out = workdir / "wordcount.json"
    result = routilux(
        "run",
        str(EXAMPLES / "wordcount.toml"),
        "--param",
        f"input={EXAMPLES / 'alice.txt'}",
        "--param",
        f"output={out}",
        "--param",
        "top=5",
        cwd=workdir,
    )
    assert result.returncode == 0, result.stderr
    assert "completed" in result.stdout
    assert json.loads(out.read_text()) == expected_top_words(EXAMPLES / "alice.txt", 5)
    # the default store keeps the job
    assert (workdir / ".routilux" / "jobs.db").exists()
    listed = routilux("jobs", "--json", cwd=workdir)
    assert [j["status"] for j in json.loads(listed.stdout)] == ["completed"]


def test_an_empty_listing_names_the_store_it_looked_in(workdir: pathlib.Path) -> None:
    # a mistyped store path opens a new, empty store: the listing must say which one it read
    url = f"sqlite:///{workdir / 'job.db'}"
    empty = routilux("jobs", "--store", url, cwd=workdir)
    assert empty.returncode == 0 and empty.stdout.strip() == f"no jobs in {url}"
    paused = routilux(
        "jobs", "--store", url, "--status", "paused", "--flow", "approval", cwd=workdir
    )
    assert paused.stdout.strip() == f"no paused jobs of flow 'approval' in {url}"


def test_approval_pauses_and_the_printed_resume_command_finishes_it(workdir: pathlib.Path) -> None:
    out = workdir / "approval.json"
    result = routilux(
        "run",
        str(EXAMPLES / "approval.toml"),
        "--param",
        "title=New laptop",
        "--param",
        f"output={out}",
        cwd=workdir,
    )
    assert result.returncode == 3, result.stderr
    command = re.search(r"resume with: (.+)", result.stdout).group(1)
    args = command.split()
    assert args[:2] == ["routilux", "resume"] and "--input" in args
    job_id = args[2]
    shown = routilux("show", job_id, cwd=workdir)
    assert "paused" in shown.stdout and "ask  [ask]  Approve this request?" in shown.stdout
    # every routine the job has reached is listed, the one waiting for the answer too
    assert "request: completed  (1 activations, 1 emits, 0 errors)" in shown.stdout
    assert "ask: waiting for an answer  (1 activations" in shown.stdout
    # a mistyped field is refused before anything is consumed: the job still waits
    typo = [a.replace("approved=...", "aproved=yes") for a in args[2:]]
    refused = routilux("resume", *typo, cwd=workdir)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "'aproved'" in refused.stderr and "expects exactly: approved" in refused.stderr
    assert '"status": "paused"' in routilux("show", job_id, "--json", cwd=workdir).stdout
    answered = [a.replace("approved=...", "approved=yes") for a in args[2:]]
    resumed = routilux("resume", *answered, cwd=workdir)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(out.read_text())["text"] == "APPROVED: New laptop"
    again = routilux("resume", job_id, cwd=workdir)
    assert again.returncode == 2 and "completed" in again.stderr and "Traceback" not in again.stderr
    assert routilux("rm", job_id, cwd=workdir).returncode == 0
    assert routilux("show", job_id, cwd=workdir).returncode == 2


def test_a_rejection_takes_the_other_route(workdir: pathlib.Path) -> None:
    out = workdir / "approval.json"
    first = routilux(
        "run",
        str(EXAMPLES / "approval.toml"),
        "--param",
        "title=Yacht",
        "--param",
        f"output={out}",
        "--json",
        cwd=workdir,
    )
    summary = json.loads(first.stdout)
    assert summary["status"] == "paused"
    resumed = routilux("resume", summary["job_id"], "--input", "approved=no", cwd=workdir)
    assert resumed.returncode == 0
    assert json.loads(out.read_text())["text"] == "REJECTED: Yacht"


def test_validate_and_graph(workdir: pathlib.Path) -> None:
    spec = str(EXAMPLES / "wordcount.toml")
    ok = routilux(
        "validate", spec, "--param", "input=a.txt", "--param", "output=b.json", cwd=workdir
    )
    assert ok.returncode == 0 and "5 routines, 4 connections" in ok.stdout
    missing = routilux("validate", spec, cwd=workdir)
    assert (
        missing.returncode == 2
        and "routines.read.config.path: param 'input' is not set" in missing.stderr
    )
    # a misspelled --param: the message shows what was set, so the typo is visible
    typo = routilux("validate", spec, "--param", "inptu=a.txt", "--param", "output=b", cwd=workdir)
    assert typo.returncode == 2
    assert "param 'input' is not set (params set: inptu, output, top)" in typo.stderr
    assert "--param input=VALUE" in typo.stderr
    graph = routilux("graph", spec, cwd=workdir)
    assert graph.returncode == 0 and graph.stdout.startswith("flowchart LR")
    for routine in ("read", "clean", "count", "top", "save"):
        assert f'n_{routine}["{routine}' in graph.stdout
    assert "n_count -->|output → input| n_top" in graph.stdout
    dot = routilux("graph", spec, "--format", "dot", cwd=workdir)
    assert '"read" -> "clean"' in dot.stdout
    rendered = routilux("graph", spec, "--output", str(workdir / "flow.svg"), cwd=workdir)
    if shutil.which("dot"):
        assert rendered.returncode == 0 and (workdir / "flow.svg").read_text().startswith("<?xml")
    else:
        assert rendered.returncode == 2 and "apt-get install graphviz" in rendered.stderr


def test_python_dash_m_is_the_same_command(workdir: pathlib.Path) -> None:
    result = routilux("--help", cwd=workdir)
    assert result.returncode == 0
    for command in (
        "run",
        "resume",
        "jobs",
        "show",
        "rm",
        "validate",
        "graph",
        "plugins",
        "routines",
    ):
        assert command in result.stdout
