"""One owner per job through the command: concurrent ``routilux resume`` of one job,
and a resume after the owner was killed (SIGKILL) once its lease has ended."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

from routilux import open_store

HERE = pathlib.Path(__file__).parent
COMMAND = "import sys, gated_routines; from routilux.cli import main; sys.exit(main(sys.argv[1:]))"
SPEC = """
flow_id = "gated"
entry = "send"

[routines.send]
class = "gated_routines:Send"

[routines.sink]
class = "gated_routines:GatedSink"

[[connections]]
from = "send.item"
to = "sink.input"
"""


def routilux(tmp: pathlib.Path, *args: str) -> subprocess.Popen[str]:
    """The routilux command in a process that has imported the gated routines."""
    env = dict(
        os.environ,
        PYTHONPATH=f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        GATED_GATE=str(tmp / "gate"),
        GATED_SINK=str(tmp / "sink.txt"),
    )
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, *args],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_owner(url: str, pids: list[int]) -> tuple[str, str]:
    """The (job id, owner) of the store's job once one of the processes `pids` holds it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with open_store(url) as store:
            for summary in store.list():
                owner = summary.owner or ""
                if any(f":{pid}:" in owner for pid in pids):
                    return summary.job_id, owner
        time.sleep(0.05)
    raise AssertionError("no process claimed the job within 120 s")


def test_two_resumes_one_runs_the_other_names_the_owner_and_a_killed_owner_is_taken_over(
    tmp_path: pathlib.Path,
) -> None:
    url = f"sqlite:///{tmp_path}/jobs.db?lease=1"
    spec = tmp_path / "gated.toml"
    spec.write_text(SPEC)

    # a run that blocks at the closed gate, holding the job's claim
    first = routilux(tmp_path, "run", str(spec), "--param", "count=3", "--store", url)
    job_id, owner = wait_for_owner(url, [first.pid])
    listed = routilux(tmp_path, "jobs", "--store", url)
    out, err = listed.communicate(timeout=120)
    assert listed.returncode == 0, err
    assert job_id in out and f"{owner} (lease until" in out  # `routilux jobs` shows the owner

    # a resume while it runs: refused, naming the owner and when its lease ends
    refused = routilux(tmp_path, "resume", job_id, "--store", url)
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 2, err
    assert owner in err and "UTC" in err and "Traceback" not in err

    # the owner dies; two resumes at once once its lease has ended: exactly one runs it
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=120)
    with open_store(url) as store:
        [summary] = store.list()
    assert summary.owner == owner  # a dead owner's claim stays until its lease ends
    assert summary.lease_until is not None
    remaining = (summary.lease_until - datetime.now(timezone.utc)).total_seconds()
    time.sleep(max(remaining, 0) + 0.1)  # a lease is time: wait for its end
    resumes = [routilux(tmp_path, "resume", job_id, "--store", url) for _ in range(2)]
    _, winner = wait_for_owner(url, [p.pid for p in resumes])
    winner_pid = int(winner.split(":")[1])
    assert winner_pid in [p.pid for p in resumes]
    loser = next(p for p in resumes if p.pid != winner_pid)
    _, err = loser.communicate(timeout=120)
    assert loser.returncode == 2 and winner in err, err

    (tmp_path / "gate").touch()  # let the winner finish the job
    running = next(p for p in resumes if p.pid == winner_pid)
    out, err = running.communicate(timeout=120)
    assert running.returncode == 0, err
    assert "completed" in out
    with open_store(url) as store:
        job = store.load(job_id)
        [summary] = store.list()
    assert job.status == "completed" and summary.owner is None
    sunk = sorted(int(n) for n in (tmp_path / "sink.txt").read_text().split())
    assert sunk == [0, 1, 2]  # the killed run wrote nothing: it never passed the gate


def test_two_answers_to_one_paused_job_exactly_one_wins(tmp_path: pathlib.Path) -> None:
    examples = pathlib.Path(__file__).parents[3] / "examples"
    url = f"sqlite:///{tmp_path}/jobs.db"
    out = tmp_path / "approval.json"
    started = routilux(
        tmp_path,
        "run",
        str(examples / "approval.toml"),
        "--param",
        "title=Laptop",
        "--param",
        f"output={out}",
        "--store",
        url,
        "--json",
    )
    stdout, err = started.communicate(timeout=120)
    assert started.returncode == 3, err
    job_id = json.loads(stdout)["job_id"]
    answers = [
        routilux(tmp_path, "resume", job_id, "--store", url, "--input", f"approved={answer}")
        for answer in ("yes", "no")
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in answers]  # type: ignore[union-attr]
    assert sorted(code for code, _ in results) == [0, 2], results
    winner = "yes" if results[0][0] == 0 else "no"
    expected = "APPROVED: Laptop" if winner == "yes" else "REJECTED: Laptop"
    assert json.loads(out.read_text())["text"] == expected
    with open_store(url) as store:
        assert store.load(job_id).status == "completed"
