"""Pausing or cancelling a saved job that does not run in this flow: it changes only
while this process holds the job's claim, and only if its copy is the newest, so a
job another process runs, or a stale copy of it, is refused before the copy changes."""

from __future__ import annotations

import threading

import pytest

from routilux import Flow, JobClaimedError, JobState, JobStateError, Routine

WAIT = 30.0


class Start(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("go", ["n"])

    def go(self) -> None:
        self.emit("go", n=1)


class Work(Routine):
    """Waits for `release` before it returns (`started` is set when it begins)."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.release = release
        self.started = threading.Event()
        self.define_slot("input", handler=self.work)

    def work(self, n: int) -> None:
        self.started.set()
        self.release.wait(WAIT)


def build(url: str, release: threading.Event) -> tuple[Flow, Work]:
    """A flow with a store of its own on `url` (its own claim owner, as another process)."""
    flow = Flow(flow_id="elsewhere", store=url)
    work = Work(release)
    flow.add_routine(Start(), "start")
    flow.add_routine(work, "work")
    flow.connect("start", "go", "work", "input")
    return flow


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'jobs.db'}"


@pytest.mark.parametrize("action", ["cancel", "pause"])
def test_a_job_running_in_another_owner_is_refused_and_runs_on(url, action) -> None:
    release = threading.Event()
    owner = build(url, release)
    other = build(url, threading.Event())
    job = owner.execute("start")
    try:
        assert owner.routines["work"].started.wait(WAIT)
        copy = other.store.load(job.job_id)
        with pytest.raises(JobClaimedError, match=owner.store.owner):
            getattr(other, action)(copy)
        assert copy.status == "running"  # the copy did not change either
        assert copy.pause_points == []
    finally:
        release.set()
    JobState.wait_for_completion(owner, job, timeout=WAIT)
    assert job.status == "completed"
    assert other.store.load(job.job_id).status == "completed"


@pytest.mark.parametrize("action", ["cancel", "pause"])
def test_a_stale_copy_is_refused(url, action) -> None:
    release = threading.Event()
    release.set()
    flow = build(url, release)
    job = flow.execute("start")
    JobState.wait_for_completion(flow, job, timeout=WAIT)
    stale = flow.store.load(job.job_id)
    flow.pause(job, reason="look")  # saved again: the loaded copy is now behind
    with pytest.raises(JobStateError, match="since this JobState was taken"):
        getattr(flow, action)(stale)
    assert stale.status == "completed"
    assert flow.store.load(job.job_id).status == "paused"


def test_an_ended_job_is_paused_then_cancelled_and_its_claim_released(url) -> None:
    release = threading.Event()
    release.set()
    flow = build(url, release)
    job = flow.execute("start")
    JobState.wait_for_completion(flow, job, timeout=WAIT)
    flow.pause(job, reason="after the end")
    assert flow.store.load(job.job_id).status == "paused"
    flow.cancel(job, reason="not wanted")
    assert job.status == "cancelled"
    assert flow.store.load(job.job_id).status == "cancelled"
    # released: another owner may take the job at once
    other = build(url, release)
    other.store.claim(job.job_id)
    other.store.release(job.job_id)
