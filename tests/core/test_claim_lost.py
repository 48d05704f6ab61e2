"""A process whose lease on a running job ran out, and whose claim another process
then took, stops running the job: one owner per job, for its handlers too."""

from __future__ import annotations

import logging
import threading
import time
import uuid

import routilux
from routilux import Flow, JobClaimedError, JobState, Routine
from routilux.plugins.stores.memory import MemoryJobStore

WAIT = 30.0


class HeldRenewals(MemoryJobStore):
    """A memory store whose background lease renewals wait while `held` is set (a
    process that stalled: a long GC pause, a suspended VM) until `resume_renewals`."""

    held = False
    resume_renewals = threading.Event()

    def _renew(self, job_ids, owner, now, until):
        if self.held and threading.current_thread().name.startswith("routilux-lease"):
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
    """Waits for `release` (when given), then passes the item on, `times` times."""

    def __init__(self, release: threading.Event | None = None, times: int = 1) -> None:
        super().__init__()
        self.release, self.times = release, times
        self.started = threading.Event()
        self.define_slot("input", handler=self.work)
        self.define_event("done", ["n"])

    def work(self, n: int) -> None:
        self.started.set()
        if self.release is not None:
            self.release.wait(WAIT)
        for _ in range(self.times):
            self.emit("done", n=n)


class Sink(Routine):
    def __init__(self, label: str, seen: list[str]) -> None:
        super().__init__()
        self.label, self.seen = label, seen
        self.define_slot("input", handler=self.take)

    def take(self, n: int) -> None:
        self.seen.append(self.label)


def build(url: str, label: str, seen: list[str], release=None, times=1) -> tuple[Flow, Work]:
    flow = Flow(flow_id="lease", store=url, checkpoint="every_activation")
    work = Work(release, times)
    flow.add_routine(Start(), "start")
    flow.add_routine(work, "work")
    flow.add_routine(Sink(label, seen), "sink")
    flow.connect("start", "go", "work", "input")
    flow.connect("work", "done", "sink", "input")
    return flow, work


def take_over(flow: Flow, job_id: str) -> JobState:
    """Resume the job in `flow` as soon as its claim can be taken (the lease ran out)."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            return flow.resume(job_id)
        except JobClaimedError:
            assert time.monotonic() < deadline
            time.sleep(0.05)


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

        taken = take_over(second, job.job_id)  # once the first lease ran out unrenewed
        assert JobState.wait_for_completion(second, taken, timeout=WAIT)
        assert taken.status == "completed"

        HeldRenewals.resume_renewals.set()  # the first process's renewal finds the loss
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


class RenewalAcrossPause(MemoryJobStore):
    """Its armed renewal waits for the test, then renews nothing: what a renewal that
    ran between a release (pause) and a new claim (resume) of the job finds."""

    armed = threading.Event()
    inside = threading.Event()
    go_on = threading.Event()

    def _renew(self, job_ids, owner, now, until):
        cls = type(self)
        if not cls.armed.is_set():
            return super()._renew(job_ids, owner, now, until)
        cls.armed.clear()
        cls.inside.set()
        cls.go_on.wait(WAIT)
        return []


class AcrossPauseBackend:
    @routilux.hookimpl
    def routilux_storage_backends(self):
        return {"acrosspause": RenewalAcrossPause}


def test_a_stalled_owner_never_overwrites_the_new_owners_saves(routilux_plugin):
    """Before its renewal finds the loss, the stalled owner's handlers may run on; its
    lease ran out unrenewed by its own clock, so their saves are refused."""
    routilux_plugin(Backend())
    HeldRenewals.resume_renewals.clear()
    url = f"heldrenewals://{uuid.uuid4()}?lease=0.3"
    seen: list[str] = []
    release = threading.Event()
    # the first process saves more often than the second: its checkpoint numbers pass
    # the second's, so only the claim, not the order of checkpoints, can refuse them
    first, stalled = build(url, "first", seen, release, times=12)
    second, _ = build(url, "second", seen)
    try:
        first.store.held = True
        job = first.execute("start")
        assert stalled.started.wait(WAIT)
        taken = take_over(second, job.job_id)
        assert JobState.wait_for_completion(second, taken, timeout=WAIT)
        release.set()  # the first process's handler returns while its renewals stall
        assert JobState.wait_for_completion(first, job, timeout=WAIT)
        stored = second.store.load(job.job_id)
        assert (stored.status, stored.checkpoint_seq) == ("completed", taken.checkpoint_seq)
    finally:
        HeldRenewals.resume_renewals.set()
        release.set()
        first.shutdown()
        second.shutdown()


class TwoItems(Start):
    def go(self) -> None:
        self.emit("go", n=1)
        self.emit("go", n=2)


def test_a_renewal_spanning_a_pause_and_resume_does_not_stop_the_resumed_run(routilux_plugin):
    routilux_plugin(AcrossPauseBackend())
    for event in (RenewalAcrossPause.armed, RenewalAcrossPause.inside, RenewalAcrossPause.go_on):
        event.clear()
    url = f"acrosspause://{uuid.uuid4()}?lease=0.3"
    seen: list[str] = []
    release = threading.Event()
    flow = Flow(flow_id="lease", store=url, checkpoint="every_activation")
    work = Work(release)
    flow.add_routine(TwoItems(), "start")
    flow.add_routine(work, "work")
    flow.add_routine(Sink("only", seen), "sink")
    flow.connect("start", "go", "work", "input")
    flow.connect("work", "done", "sink", "input")
    try:
        job = flow.execute("start")
        assert work.started.wait(WAIT)  # item 1; item 2 waits
        RenewalAcrossPause.armed.set()
        assert RenewalAcrossPause.inside.wait(WAIT)  # a renewal of the first claim runs
        flow.pause(job, reason="a break", wait=False)
        release.set()
        assert JobState.wait_for_completion(flow, job, timeout=WAIT)
        assert job.status == "paused"
        work.started.clear()
        release.clear()
        job = flow.resume(job)  # a new claim, while that renewal still runs
        assert work.started.wait(WAIT)  # item 2, in the resumed run
        RenewalAcrossPause.go_on.set()  # it ends having renewed nothing
        time.sleep(1)  # later renewals (lease 0.3 s) run too
        assert job.status == "running" and flow.store.holds(job.job_id)
        release.set()
        assert JobState.wait_for_completion(flow, job, timeout=WAIT)
        assert job.status == "completed" and seen == ["only", "only"]
        assert not any(r.event_name == "claim_lost" for r in job.execution_history)
    finally:
        RenewalAcrossPause.go_on.set()
        release.set()
        flow.shutdown()


class SlowRenewals(MemoryJobStore):
    """Each renewal takes most of the lease (a slow network): the lease runs out here
    between renewals although no one else ever claims the job."""

    def _renew(self, job_ids, owner, now, until):
        time.sleep(0.8)  # of a 1 s lease: the slack left (0.2 s) absorbs a loaded machine
        return super()._renew(job_ids, owner, now, until)


class SlowBackend:
    @routilux.hookimpl
    def routilux_storage_backends(self):
        return {"slowrenewals": SlowRenewals}


class Steps(Routine):
    """Emits to itself for about two seconds: a checkpoint every 10 ms."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.step)
        self.define_event("again", ["n"])

    def step(self, n: int) -> None:
        if n < 200:
            time.sleep(0.01)
            self.emit("again", n=n + 1)


def test_slow_renewals_never_refuse_a_healthy_jobs_saves(routilux_plugin, caplog):
    routilux_plugin(SlowBackend())
    url = f"slowrenewals://{uuid.uuid4()}?lease=1"
    flow = Flow(flow_id="slow", store=url, checkpoint="every_activation")
    flow.add_routine(Start(), "start")
    flow.add_routine(Steps(), "step")
    flow.connect("start", "go", "step", "input")
    flow.connect("step", "again", "step", "input")
    try:
        with caplog.at_level(logging.ERROR, logger="routilux"):
            job = flow.run("start", timeout=WAIT)
        assert job.status == "completed"
        assert flow.store.load(job.job_id).status == "completed"
        assert not [r for r in caplog.records if "checkpoint" in r.getMessage()]
    finally:
        flow.shutdown()
