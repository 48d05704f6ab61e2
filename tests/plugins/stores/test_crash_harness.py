"""The bounded crash harness: for every store x strategy x checkpoint policy, SIGKILL the
job's process at random points, resume it from another process each time, and check

- 0 wrong results: the job completes with every item delivered and the same history (as a
  multiset) as an uninterrupted run of the same input;
- 0 regressed checkpoints: the stored checkpoint sequence never goes down between kills;
- with ``every_activation``, at most one repeated side effect per kill.

Bounded: 2 trials of 2 kills per combination (seeded), a 40-item job.
"""

from __future__ import annotations

import os
import pathlib
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest

from routilux import JobNotFoundError, JobState, open_store

HERE = pathlib.Path(__file__).parent
RUNNER = HERE / "harness_runner.py"
ITEMS = 40
TRIALS = 2
KILLS = 2


def sink_lines(path: pathlib.Path) -> list[int]:
    if not path.exists():
        return []
    return [int(line) for line in path.read_text().split("\n") if line.strip()]


def runner(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    return subprocess.Popen(
        [sys.executable, str(RUNNER), *args], stdout=subprocess.PIPE, text=True, env=env
    )


def kill_at_random(proc: subprocess.Popen[str], sink: pathlib.Path, rng: random.Random) -> bool:
    """SIGKILL `proc` after a random number of new sink lines; False if it finished first."""
    target = len(sink_lines(sink)) + rng.randint(0, ITEMS // 3)
    deadline = time.monotonic() + 120
    while len(sink_lines(sink)) < target:
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            pytest.fail("the job made no progress for 120 s")
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.01))
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def stored_job(url: str, job_id: str) -> JobState | None:
    with open_store(url) as store:
        try:
            return store.load(job_id)
        except JobNotFoundError:
            return None


def stored_seq(url: str, job_id: str) -> int:
    job = stored_job(url, job_id)
    return 0 if job is None else job.checkpoint_seq


def history_multiset(job) -> Counter:
    return Counter(
        (r.routine_id, r.event_name, tuple(sorted(r.data.items()))) for r in job.execution_history
    )


@pytest.mark.slow
@pytest.mark.parametrize("checkpoint", ["every_activation", "on_finish", "on_pause"])
@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
@pytest.mark.parametrize("kind", ["sqlite", "file"])
def test_sigkill_and_resume_from_another_process(tmp_path, kind, strategy, checkpoint):
    rng = random.Random(f"{kind}-{strategy}-{checkpoint}")
    base = f"sqlite:///{tmp_path}/jobs.db" if kind == "sqlite" else f"file://{tmp_path}/jobs"
    url = f"{base}?lease=0.5"  # short: each resume waits for the killed owner's lease
    reference = None
    total_kills = 0
    for trial in range(TRIALS):
        job_id = str(uuid.uuid4())
        sink = tmp_path / f"sink-{trial}.txt"
        args = [url, job_id, str(sink), strategy, checkpoint, str(ITEMS)]
        proc = runner("start", *args)
        kills, seqs = 0, [0]
        final = None
        while True:
            if kills < KILLS and kill_at_random(proc, sink, rng):
                kills += 1
                seqs.append(stored_seq(url, job_id))
                stored = stored_job(url, job_id)
                if stored is not None and stored.status == "completed":
                    final = stored  # killed after its last checkpoint: nothing to resume
                    break
                proc = runner("resume", *args)
                continue
            out, _ = proc.communicate(timeout=300)
            assert out.strip().endswith("completed"), out
            final = JobState.load(f"{sink}.final.json")
            break
        total_kills += kills
        seqs.append(stored_seq(url, job_id))
        assert seqs == sorted(seqs), f"a checkpoint regressed: {seqs}"
        stored = stored_job(url, job_id)
        if checkpoint == "on_pause":  # never paused: never stored
            assert stored is None
        else:
            assert stored is not None and stored.serialize() == final.serialize()
        delivered = sink_lines(sink)
        assert final.status == "completed" and final.pending_tasks == []
        assert set(delivered) == {2 * n for n in range(ITEMS)}  # every item at least once
        if checkpoint == "every_activation":
            assert len(delivered) - ITEMS <= kills, "more than one repeat per kill"
        if reference is None:
            reference = uninterrupted(tmp_path, strategy)
        assert history_multiset(final) == reference
    assert total_kills >= 1, "no trial was killed: the harness tested nothing"


def uninterrupted(tmp_path: pathlib.Path, strategy: str) -> Counter:
    """The history of the same job run without a store or a kill."""
    sys.path.insert(0, str(HERE))
    try:
        from harness_runner import build
    finally:
        sys.path.remove(str(HERE))
    flow = build(None, str(tmp_path / "reference-sink.txt"), strategy, "on_finish")
    job = flow.run("items", {"count": ITEMS})
    flow.shutdown()
    assert job.status == "completed"
    return history_multiset(job)
