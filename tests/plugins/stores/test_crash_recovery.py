"""Crash recovery: SIGKILL a job checkpointing after every activation, resume it, repeat.

At-least-once delivery: every item reaches the sink, items pending at the checkpoint a run
resumed from may reach it again, but an item acknowledged (its activation completed) before
that checkpoint never does. Every stored job must load at every point.
"""

from __future__ import annotations

import os
import pathlib
import random
import signal
import subprocess
import sys
import time

import pytest

from routilux import open_store

HERE = pathlib.Path(__file__).parent
RUNNER = HERE / "crash_runner.py"
ITEMS = 499


def sink_lines(path: pathlib.Path) -> list[int]:
    if not path.exists():
        return []
    return [int(line) for line in path.read_text().split("\n") if line.strip()]


def acknowledged(job) -> set[int]:
    """Items whose sink activation had completed at this checkpoint."""
    emitted = {r.data["n"] for r in job.get_execution_history("items") if r.event_name == "item"}
    pending = {t["data"]["n"] for t in job.pending_tasks if t["routine_id"] == "sink"}
    return emitted - pending


def start(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    return subprocess.Popen(
        [sys.executable, str(RUNNER), *args], stdout=subprocess.PIPE, text=True, env=env
    )


def kill_after(proc: subprocess.Popen, sink: pathlib.Path, lines: int, rng: random.Random) -> bool:
    """SIGKILL `proc` once the sink has `lines` more lines (or at once for 0); False if it
    finished first."""
    target = len(sink_lines(sink)) + lines
    deadline = time.monotonic() + 60
    while lines and len(sink_lines(sink)) < target:
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            pytest.fail("the job made no progress for 60 s")
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.004))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


@pytest.mark.slow
@pytest.mark.parametrize("kind, kills", [("sqlite", 20), ("file", 10)])
def test_sigkill_at_random_moments_then_resume(tmp_path, kind, kills):
    rng = random.Random(f"{kind}-{kills}")
    # a short lease: each resume waits for the killed owner's lease to end
    url = (
        f"sqlite:///{tmp_path}/jobs.db?lease=0.5"
        if kind == "sqlite"
        else f"file://{tmp_path}/jobs?lease=0.5"
    )
    sink = tmp_path / "sink.txt"

    proc = start(["start", url, str(sink)])
    job_id = proc.stdout.readline().strip()
    assert job_id, "the runner did not start the job"
    done_kills = int(kill_after(proc, sink, 0, rng))
    while True:
        with open_store(url) as store:
            checkpoint = store.load(job_id)  # must load after every kill
        if checkpoint.status == "completed":
            break
        acked = acknowledged(checkpoint)
        before = len(sink_lines(sink))
        proc = start(["resume", url, job_id, str(sink)])
        if done_kills < kills:
            done_kills += int(kill_after(proc, sink, rng.randint(1, 20), rng))
        else:
            out, _ = proc.communicate(timeout=300)
            assert out.strip().endswith("completed")
        again = set(sink_lines(sink)[before:]) & acked
        assert not again, f"items acknowledged before the checkpoint ran again: {sorted(again)}"

    assert done_kills == kills
    delivered = sink_lines(sink)
    assert set(delivered) == set(range(ITEMS))  # every item at least once
    print(f"{kind}: {done_kills} kills, {len(delivered) - ITEMS} items delivered twice")
    with open_store(url) as store:
        final = store.load(job_id)
    assert final.status == "completed" and final.pending_tasks == []
    # resume parity: the same end state as an uninterrupted run of the same input
    from crash_runner import ITEMS as RUNNER_ITEMS
    from crash_runner import build

    flow = build(url.replace("jobs", "uninterrupted"), str(tmp_path / "sink2.txt"))
    uninterrupted = flow.run("items", {"count": RUNNER_ITEMS})
    flow.shutdown()
    assert comparable(final) == comparable(uninterrupted)


def comparable(job):
    """A JobState's serialized form without its id and timestamps."""

    def strip(value):
        if isinstance(value, dict):
            return {
                k: strip(v)
                for k, v in value.items()
                if k not in ("timestamp", "created_at", "updated_at", "job_id", "checkpoint_seq")
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(job.serialize())
