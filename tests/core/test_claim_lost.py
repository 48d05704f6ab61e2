"""A process whose lease on a running job ran out, and whose claim another process
then took, stops running the job: one owner per job, for its handlers too."""

from __future__ import annotations

import threading
import time
import uuid

import routilux
from routilux import Flow, JobClaimedError, JobState, Routine
from routilux.plugins.stores.memory import MemoryJobStore

WAIT = 30.0


class HeldRenewals(MemoryJobStore):
    """A memory store whose lease renewals wait while `held` is set (a process that
    stalled: a long GC pause, a suspended VM) until `resume_renewals` is set."""

    held = False
    resume_renewals = threading.Event()

    def _renew(self, job_ids, owner, now, until):
        if self.held:
            type(self).resume_renewals.wait(WAIT)
        return super()._renew(job_ids, owner, now, until)


class Backend:
    @routilux.hookimpl
    def routilux_storage_backends(self):
        return {"heldrenewals": HeldRenewals}


class Start(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("go", ["n"])

    def go(self) -> None:
        self.emit("go", n=1)


class Work(Routine):
    """Waits for `release` (when given), then passes the item on."""

    def __init__(self, release: threading.Event | None = None) -> None:
        super().__init__()
        self.release = release
        self.started = threading.Event()
        self.define_slot("input", handler=self.work)
        self.define_event("done", ["n"])

    def work(self, n: int) -> None:
        self.started.set()
        if self.release is not None:
            self.release.wait(WAIT)
        self.emit("done", n=n)


class Sink(Routine):
    def __init__(self, label: str, seen: list[str]) -> None:
        super().__init__()
        self.label, self.seen = label, seen
        self.define_slot("input", handler=self.take)

    def take(self, n: int) -> None:
        self.seen.append(self.label)


def build(url: str, label: str, seen: list[str], release=None) -> tuple[Flow, Work]:
    flow = Flow(flow_id="lease", store=url, checkpoint="every_activation")
    work = Work(release)
    flow.add_routine(Start(), "start")
    flow.add_routine(work, "work")
    flow.add_routine(Sink(label, seen), "sink")
    flow.connect("start", "go", "work", "input")
    flow.connect("work", "done", "sink", "input")
    return flow, work


def test_the_old_owner_stops_when_another_takes_the_claim(routilux_plugin):
    routilux_plugin(Backend())
    HeldRenewals.resume_renewals.clear()
    url = f"heldrenewals://{uuid.uuid4()}?lease=0.3"
    seen: list[str] = []
    release = threading.Event()
    first, stalled = build(url, "first", seen, release)
    second, _ = build(url, "second", seen)
    try:
        first.store.held = True  # its renewals stall from now on
        job = first.execute("start")
        assert stalled.started.wait(WAIT)  # `work` runs in the first process

        deadline = time.monotonic() + WAIT
        while True:  # the first lease runs out unrenewed: the second takes the job
            try:
                taken = second.resume(job.job_id)
                break
            except JobClaimedError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert JobState.wait_for_completion(second, taken, timeout=WAIT)
        assert taken.status == "completed"

        HeldRenewals.resume_renewals.set()  # the first process wakes up and finds out
        assert JobState.wait_for_completion(first, job, timeout=WAIT)
        assert job.status == "failed"
        (record,) = [r for r in job.execution_history if r.event_name == "claim_lost"]
        assert "lost the claim" in record.data["reason"]
        release.set()  # the stalled handler returns; what it emits goes nowhere
        time.sleep(0.2)
        assert seen == ["second"]
        assert second.store.load(job.job_id).status == "completed"  # the owner's save stands
    finally:
        HeldRenewals.resume_renewals.set()
        release.set()
        first.shutdown()
        second.shutdown()


def test_a_pause_and_resume_in_the_same_process_keeps_running(routilux_plugin):
    """Releasing the claim (pause) and claiming the job again (resume) is no loss."""
    routilux_plugin(Backend())
    url = f"heldrenewals://{uuid.uuid4()}?lease=0.3"
    seen: list[str] = []
    release = threading.Event()
    flow, work = build(url, "only", seen, release)
    try:
        job = flow.execute("start")
        assert work.started.wait(WAIT)
        flow.pause(job, reason="a break", wait=False)
        release.set()
        assert JobState.wait_for_completion(flow, job, timeout=WAIT)
        assert job.status == "paused"
        time.sleep(1)  # a few renewals (lease 0.3 s) run across the pause and resume
        job = flow.resume(job)
        assert JobState.wait_for_completion(flow, job, timeout=WAIT)
        time.sleep(1)
        assert job.status == "completed" and seen == ["only"]
        assert not any(r.event_name == "claim_lost" for r in job.execution_history)
    finally:
        release.set()
        flow.shutdown()
