"""The bounded crash harness (`routilux.crash_harness`) over every built-in store that
outlives a process x strategy x checkpoint policy: 2 trials of up to 2 SIGKILLs each,
resumed from another process; 0 wrong results, 0 regressed checkpoints, and with
``every_activation`` at most one repeated side effect per kill. (The PostgreSQL and
Redis stores run one trial each through the conformance suite.)"""

from __future__ import annotations

import random

import pytest

from routilux.crash_harness import run_trial

TRIALS = 2


@pytest.mark.slow
@pytest.mark.parametrize("checkpoint", ["every_activation", "on_finish", "on_pause"])
@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
@pytest.mark.parametrize("kind", ["sqlite", "file"])
def test_sigkill_and_resume_from_another_process(tmp_path, kind, strategy, checkpoint):
    rng = random.Random(f"{kind}-{strategy}-{checkpoint}")
    base = f"sqlite:///{tmp_path}/jobs.db" if kind == "sqlite" else f"file://{tmp_path}/jobs"
    url = f"{base}?lease=0.5"  # short: each resume waits for the killed owner's lease
    results = [run_trial(url, strategy, checkpoint, tmp_path, rng) for _ in range(TRIALS)]
    assert sum(r.kills for r in results) >= 1, "no trial was killed: the harness tested nothing"
    if checkpoint == "every_activation":
        assert all(r.repeated <= r.kills for r in results)
