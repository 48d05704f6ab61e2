"""Pausing or cancelling a saved job that does not run in this flow: it changes only
while this process holds the job's claim, and only if its copy is the newest, so a
job another process runs, or a stale copy of it, is refused before the copy changes."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from routilux import Flow, JobClaimedError, JobState, JobStateError, Routine
from routilux.plugins.stores.sqlite import SQLiteJobStore
from routilux.store_base import Claim

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


#: The flows `build` made in the running test, shut down with their stores after it.
BUILT: list[Flow] = []


def build(url: str, release: threading.Event, checkpoint: str = "on_finish") -> Flow:
    """A flow with a store of its own on `url` (its own claim owner, as another process)."""
    flow = Flow(flow_id="elsewhere", store=url, checkpoint=checkpoint)
    work = Work(release)
    flow.add_routine(Start(), "start")
    flow.add_routine(work, "work")
    flow.connect("start", "go", "work", "input")
    BUILT.append(flow)
    return flow


@pytest.fixture(autouse=True)
def shut_down_built_flows() -> Iterator[None]:
    yield
    while BUILT:
        flow = BUILT.pop()
        flow.routines["work"].release.set()
        store = flow.store
        flow.shutdown(wait=True, timeout=10)
        if store is not None:
            store.close()


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
    """Its first save of a job ended with `status` waits for `go_on`: a slow store, while
    a run's end still holds the job's claim."""

    def __init__(self, url: str, status: str = "completed") -> None:
        super().__init__(url)
        self.status = status
        self.saving_end, self.go_on = threading.Event(), threading.Event()

    def save(self, job_state: JobState) -> None:
        if job_state.status == self.status and not self.saving_end.is_set():
            self.saving_end.set()
            self.go_on.wait(WAIT)
        super().save(job_state)


def wait_until_inside(thread: threading.Thread, function: str) -> None:
    """Until `thread` runs `function` (or has ended), polling its stack."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and thread.is_alive():
        frame = sys._current_frames().get(thread.ident or 0)
        while frame is not None:
            if frame.f_code.co_name == function:
                return
            frame = frame.f_back
        time.sleep(0.001)


def call_while_end_is_saved(
    store: HeldFinalSave, call: Callable[[], object]
) -> list[BaseException]:
    """Run `call` in a thread while `store` holds the job's final save; let the save go
    on once the call waits in `claim_or_find_run`. What the call raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            errors.append(exc)

    caller = threading.Thread(target=run)
    caller.start()
    wait_until_inside(caller, "claim_or_find_run")
    store.go_on.set()
    caller.join(WAIT)
    return errors


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
    assert call_while_end_is_saved(store, lambda: getattr(flow, action)(job)) == []
    expected = "cancelled" if action == "cancel" else "paused"
    assert job.status == expected
    assert store.load(job.job_id).status == expected


class RefusedThenReleased(HeldFinalSave):
    """While it holds a job's final save, a claim of the job is refused; before the
    refusal reaches the caller, the save goes on and the run's end releases the claim:
    the narrowest of the windows in which the caller may find the claim gone."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.flow: Flow | None = None

    def claim(self, job_id: str) -> Claim:
        try:
            return super().claim(job_id)
        except JobClaimedError:
            if self.saving_end.is_set() and not self.go_on.is_set():
                assert self.flow is not None
                self.go_on.set()
                deadline = time.monotonic() + WAIT
                while job_id in self.flow.held_claims and time.monotonic() < deadline:
                    time.sleep(0.001)
            raise


@pytest.mark.parametrize("action", ["cancel", "pause"])
def test_a_claim_released_between_its_refusal_and_the_check_is_taken(url, action) -> None:
    release = threading.Event()
    release.set()
    flow = build(url, release)
    store = RefusedThenReleased(url)
    store.flow = flow
    flow.set_store(store)
    job = flow.execute("start")
    assert store.saving_end.wait(WAIT)
    getattr(flow, action)(job)  # refused once, then claimed: no JobClaimedError
    expected = "cancelled" if action == "cancel" else "paused"
    assert job.status == expected
    assert store.load(job.job_id).status == expected
    assert not store.holds(job.job_id)


def test_a_job_another_flow_of_this_process_runs_is_refused_at_once(tmp_path) -> None:
    """Two flows sharing one store object: the claim is this process's, but not the
    asking flow's run's, so there is nothing to wait for."""
    url = f"sqlite:///{tmp_path / 'jobs.db'}?lease=600"
    release = threading.Event()
    runner, other = build(url, release), build(url, threading.Event())
    other.set_store(runner.store)
    job = runner.execute("start")
    errors: list[BaseException] = []

    def cancel() -> None:
        try:
            other.cancel(job)
        except BaseException as exc:
            errors.append(exc)

    try:
        assert runner.routines["work"].started.wait(WAIT)
        caller = threading.Thread(target=cancel, daemon=True)
        caller.start()
        caller.join(WAIT)  # refused at once; waiting would last the 600 s lease
        assert not caller.is_alive()
        assert len(errors) == 1 and isinstance(errors[0], JobClaimedError)
        assert job.status == "running"
    finally:
        release.set()
    JobState.wait_for_completion(runner, job, timeout=WAIT)
    assert job.status == "completed"


def test_a_resume_while_the_pause_is_still_saving_here_waits_for_it(url) -> None:
    release = threading.Event()
    flow = build(url, release)
    store = HeldFinalSave(url, status="paused")
    flow.set_store(store)
    job = flow.execute("start")
    assert flow.routines["work"].started.wait(WAIT)
    flow.pause(job, reason="look", wait=False)
    release.set()  # the handler returns, the run ends paused and saves (held)
    assert store.saving_end.wait(WAIT)
    assert call_while_end_is_saved(store, lambda: flow.resume(job)) == []
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "completed"


def test_a_wait_returns_once_the_store_has_the_jobs_end(url) -> None:
    """A waiter arriving while the job's end is still being saved waits for the save:
    when wait_for_completion returns, the store has the end."""
    release = threading.Event()
    release.set()
    flow = build(url, release)
    store = HeldFinalSave(url)
    flow.set_store(store)
    job = flow.execute("start")
    assert store.saving_end.wait(WAIT)  # ended, its end not saved yet
    seen: list[str] = []

    def wait() -> None:
        JobState.wait_for_completion(flow, job, timeout=WAIT)
        seen.append(store.load(job.job_id).status)

    waiter = threading.Thread(target=wait)
    waiter.start()
    waiter.join(0.2)  # it waits for the save (if it did not, it would be done by now)
    store.go_on.set()
    waiter.join(WAIT)
    assert seen == ["completed"]
