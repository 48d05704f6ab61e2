"""Pausing or cancelling a saved job that does not run in this flow: it changes only
while this process holds the job's claim, and only if its copy is the newest, so a
job another process runs, or a stale copy of it, is refused before the copy changes."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from routilux import Flow, JobClaimedError, JobState, JobStateError, Routine
from routilux.plugins.stores.sqlite import SQLiteJobStore

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


def build(url: str, release: threading.Event, checkpoint: str = "on_finish") -> Flow:
    """A flow with a store of its own on `url` (its own claim owner, as another process)."""
    flow = Flow(flow_id="elsewhere", store=url, checkpoint=checkpoint)
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
        assert not copy.json_only  # still holds its own values, as loaded
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


def test_a_run_that_took_no_claim_releases_none(url) -> None:
    """With ``on_pause`` checkpoints a new job runs unclaimed; its end must not release
    a claim taken meanwhile (by a resume of the job here, say)."""
    release = threading.Event()
    flow = build(url, release, checkpoint="on_pause")
    job = flow.execute("start")
    assert flow.routines["work"].started.wait(WAIT)
    flow.store.claim(job.job_id)
    release.set()
    JobState.wait_for_completion(flow, job, timeout=WAIT)  # wakes after the end's release
    assert job.status == "completed"
    assert flow.store.holds(job.job_id)
    flow.store.release(job.job_id)


class HeldFinalSave(SQLiteJobStore):
    """Its first save of an ended job waits for `go_on`: a slow store, while a run's end
    still holds the job's claim."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.saving_end, self.go_on = threading.Event(), threading.Event()

    def save(self, job_state: JobState) -> None:
        if job_state.status == "completed" and not self.saving_end.is_set():
            self.saving_end.set()
            self.go_on.wait(WAIT)
        super().save(job_state)


@pytest.mark.parametrize("action", ["cancel", "pause"])
def test_a_job_whose_end_is_still_saving_here_is_waited_for(url, action) -> None:
    """A short job ends on a worker right after execute(); a pause or cancel arriving
    while that end still saves (holding the claim) waits for it instead of failing."""
    release = threading.Event()
    release.set()
    flow = build(url, release)
    store = HeldFinalSave(url)
    flow.set_store(store)
    job = flow.execute("start")
    assert store.saving_end.wait(WAIT)
    errors: list[BaseException] = []

    def act() -> None:
        try:
            getattr(flow, action)(job)
        except BaseException as exc:
            errors.append(exc)

    caller = threading.Thread(target=act)
    caller.start()
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:  # until the call waits for this process's claim
        frame = sys._current_frames().get(caller.ident)
        names = set()
        while frame is not None:
            names.add(frame.f_code.co_name)
            frame = frame.f_back
        if "_claim_or_find_run" in names or not caller.is_alive():
            break
        time.sleep(0.001)
    store.go_on.set()
    caller.join(WAIT)
    assert errors == []
    expected = "cancelled" if action == "cancel" else "paused"
    assert job.status == expected
    assert store.load(job.job_id).status == expected
