"""Lifecycle observer hooks: every job and activation, in order, errors passed, never fatal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest

import routilux
from routilux import ErrorHandler, Flow, JobState, Routine

Register = Callable[..., Any]
WAIT = 30  # seconds; generous, never reached when things work


class Recorder:
    """Observes all four hooks and records what it sees, per job."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[tuple[Any, ...]] = []
        self.finished = threading.Condition(self.lock)

    def add(self, *event: Any) -> None:
        with self.lock:
            self.events.append(event)
            self.finished.notify_all()

    def of(self, job: JobState) -> list[tuple[Any, ...]]:
        with self.lock:
            return [e[1:] for e in self.events if e[0] == job.job_id]

    @routilux.hookimpl
    def routilux_job_started(self, job_state: JobState, flow: Flow) -> None:
        self.add(job_state.job_id, "job_started", flow.flow_id, job_state.status)

    @routilux.hookimpl
    def routilux_routine_started(self, job_state: JobState, routine_id: str, slot: str) -> None:
        self.add(job_state.job_id, "routine_started", routine_id, slot)

    @routilux.hookimpl
    def routilux_routine_finished(
        self, job_state: JobState, routine_id: str, slot: str, error: BaseException | None
    ) -> None:
        self.add(job_state.job_id, "routine_finished", routine_id, slot, error)

    @routilux.hookimpl
    def routilux_job_finished(self, job_state: JobState, flow: Flow) -> None:
        self.add(job_state.job_id, "job_finished", flow.flow_id, job_state.status)


class Source(Routine):
    """Emits `count` numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.go)
        self.define_event("number", ["n"])

    def go(self, count: int = 2) -> None:
        for n in range(count):
            self.emit("number", n=n)


class Check(Routine):
    """Fails on the numbers in its config's `bad` list."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", self.go)

    def go(self, n: int) -> None:
        if n in self.get_config("bad", []):
            raise ValueError(f"bad number {n}")


def chain(make_flow: Any, bad: list[int] | None = None, **kwargs: Any) -> Flow:
    # strict errors: the flow's error handler covers the downstream `check` too
    flow: Flow = make_flow("obs", tolerate_downstream_errors=False, **kwargs)
    flow.add_routine(Source(), "source")
    check = Check()
    check.set_config(bad=bad or [])
    flow.add_routine(check, "check")
    flow.connect("source", "number", "check", "input")
    return flow


def test_sequential_jobs_are_seen_in_order_with_errors(
    routilux_plugin: Register, make_flow: Any
) -> None:
    recorder = routilux_plugin(Recorder())
    flow = chain(make_flow, bad=[1], error_handler=ErrorHandler(strategy="continue"))

    first = flow.run("source", {"count": 2}, timeout=WAIT)
    second = flow.run("source", {"count": 1}, timeout=WAIT)

    events = recorder.of(first)
    error = events[-2][-1]
    assert isinstance(error, ValueError) and str(error) == "bad number 1"
    assert events == [
        ("job_started", "obs", "running"),
        ("routine_started", "source", "trigger"),
        ("routine_finished", "source", "trigger", None),
        ("routine_started", "check", "input"),
        ("routine_finished", "check", "input", None),
        ("routine_started", "check", "input"),
        ("routine_finished", "check", "input", error),
        ("job_finished", "obs", "completed"),
    ]
    assert recorder.of(second)[0] == ("job_started", "obs", "running")
    assert recorder.of(second)[-1] == ("job_finished", "obs", "completed")
    assert len(recorder.of(second)) == 6


def test_concurrent_jobs_each_see_every_activation_paired_and_nested(
    routilux_plugin: Register, make_flow: Any
) -> None:
    recorder = routilux_plugin(Recorder())
    flow = chain(make_flow, bad=[3], execution_strategy="concurrent", max_workers=4)

    jobs = [flow.execute("source", {"count": 6}) for _ in range(5)]
    for job in jobs:
        assert JobState.wait_for_completion(flow, job, timeout=WAIT)

    for job in jobs:
        events = recorder.of(job)
        assert events[0] == ("job_started", "obs", "running")
        assert events[-1] == ("job_finished", "obs", job.status)
        middle = events[1:-1]
        starts = sorted(e[1:3] for e in middle if e[0] == "routine_started")
        ends = sorted(e[1:3] for e in middle if e[0] == "routine_finished")
        assert starts == ends  # every activation that started also finished
        # the job failed on n == 3, so some of its six checks may not have run
        assert ("source", "trigger") in starts
        errors = [e[3] for e in middle if e[0] == "routine_finished" and e[3] is not None]
        assert [str(e) for e in errors] == ["bad number 3"]
        assert job.status == "failed"


def test_every_retry_is_a_new_start_and_finish(routilux_plugin: Register, make_flow: Any) -> None:
    recorder = routilux_plugin(Recorder())
    flow = chain(
        make_flow,
        bad=[0],
        error_handler=ErrorHandler(strategy="retry", max_retries=2, retry_delay=0),
    )
    job = flow.run("source", {"count": 1}, timeout=WAIT)
    checks = [e for e in recorder.of(job) if e[1] == "check"]
    assert [e[0] for e in checks] == ["routine_started", "routine_finished"] * 3
    assert all(isinstance(e[3], ValueError) for e in checks[1::2])
    assert recorder.of(job)[-1] == ("job_finished", "obs", "failed")


def test_an_observer_registered_after_a_flow_ran_sees_its_next_jobs(
    routilux_plugin: Register, make_flow: Any
) -> None:
    flow = chain(make_flow)
    before = flow.run("source", {"count": 1}, timeout=WAIT)
    recorder = routilux_plugin(Recorder())
    after = flow.run("source", {"count": 1}, timeout=WAIT)
    assert recorder.of(before) == []
    assert recorder.of(after)[0][0] == "job_started"
    assert recorder.of(after)[-1][0] == "job_finished"


def test_pause_and_resume_end_and_start_the_job_again(
    routilux_plugin: Register, make_flow: Any
) -> None:
    class PauseSelf(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)

        def go(self) -> None:
            context = self.get_execution_context()
            assert context is not None
            context.flow.pause(context.job_state, "waiting for a human")

    recorder = routilux_plugin(Recorder())
    flow = make_flow("obs")
    flow.add_routine(PauseSelf(), "p")
    job = flow.run("p", timeout=WAIT)
    assert job.status == "paused"
    flow.resume(job)  # nothing is left to do: the job ends as soon as it resumes
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert [e[0] for e in recorder.of(job)] == [
        "job_started",
        "routine_started",
        "routine_finished",
        "job_finished",
        "job_started",
        "job_finished",
    ]
    assert recorder.of(job)[3] == ("job_finished", "obs", "paused")
    assert recorder.of(job)[5] == ("job_finished", "obs", "completed")


def test_a_handler_running_when_its_job_is_cancelled_still_finishes(
    routilux_plugin: Register, make_flow: Any
) -> None:
    entered = threading.Event()
    release = threading.Event()

    class Slow(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)

        def go(self) -> None:
            entered.set()
            release.wait(WAIT)

    recorder = routilux_plugin(Recorder())
    flow = make_flow("obs", execution_strategy="concurrent")
    flow.add_routine(Slow(), "slow")
    # execute() would run the entry handler in this thread: start the job from another
    # one and cancel it from here while the handler runs
    job = JobState(flow_id="obs")
    starter = threading.Thread(target=lambda: flow.execute("slow", job_state=job))
    starter.start()
    assert entered.wait(WAIT)
    flow.cancel(job)
    release.set()
    with recorder.finished:
        assert recorder.finished.wait_for(
            lambda: any(e[1] == "routine_finished" for e in recorder.events), WAIT
        )
    assert [e[0] for e in recorder.of(job)] == [
        "job_started",
        "routine_started",
        "job_finished",
        "routine_finished",
    ]
    assert recorder.of(job)[2] == ("job_finished", "obs", "cancelled")
    starter.join(WAIT)


def test_observers_may_take_only_the_arguments_they_need(
    routilux_plugin: Register, make_flow: Any
) -> None:
    seen: list[str] = []

    class Slim:
        @routilux.hookimpl
        def routilux_routine_finished(self, routine_id: str) -> None:
            seen.append(routine_id)

    routilux_plugin(Slim())
    chain(make_flow).run("source", {"count": 1}, timeout=WAIT)
    assert seen == ["source", "check"]


def test_a_raising_observer_breaks_neither_the_job_nor_other_observers(
    routilux_plugin: Register, make_flow: Any, caplog: pytest.LogCaptureFixture
) -> None:
    class Raising:
        @routilux.hookimpl
        def routilux_job_started(self) -> None:
            raise RuntimeError("observer bug at start")

        @routilux.hookimpl
        def routilux_routine_started(self) -> None:
            raise RuntimeError("observer bug in routine")

        @routilux.hookimpl
        def routilux_routine_finished(self) -> None:
            raise KeyError("observer bug after routine")

        @routilux.hookimpl
        def routilux_job_finished(self) -> None:
            raise RuntimeError("observer bug at the end")

    recorder = routilux_plugin(Recorder())
    routilux_plugin(Raising(), "raising-observer")  # called before the recorder (LIFO)
    flow = chain(make_flow)
    with caplog.at_level(logging.ERROR, logger="routilux.observers"):
        job = flow.run("source", {"count": 2}, timeout=WAIT)
    assert job.status == "completed"
    assert len(recorder.of(job)) == 8
    assert recorder.of(job)[-1] == ("job_finished", "obs", "completed")
    assert "raising-observer raised in routilux_job_started" in caplog.text
    assert "observer bug at the end" in caplog.text


def test_with_no_observer_the_job_gets_none(make_flow: Any) -> None:
    from routilux.registry import observers

    assert observers() is None  # nothing registered in this test: the hot path skips them


class AttemptRecorder:
    """Records the activation id and attempt each routine hook is given."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[tuple[str, str, int, int]] = []

    @routilux.hookimpl
    def routilux_routine_started(self, routine_id: str, activation_id: int, attempt: int) -> None:
        with self.lock:
            self.calls.append(("started", routine_id, activation_id, attempt))

    @routilux.hookimpl
    def routilux_routine_finished(self, routine_id: str, activation_id: int, attempt: int) -> None:
        with self.lock:
            self.calls.append(("finished", routine_id, activation_id, attempt))


def test_retries_keep_the_activation_id_and_count_attempts(
    routilux_plugin: Register, make_flow: Any
) -> None:
    recorder = routilux_plugin(AttemptRecorder())
    flow = chain(
        make_flow,
        bad=[0],
        execution_strategy="concurrent",
        error_handler=ErrorHandler(strategy="retry", max_retries=2, retry_delay=0),
    )
    job = flow.run("source", {"count": 2}, timeout=WAIT)
    assert job.status != "running"
    checks = [c for c in recorder.calls if c[1] == "check"]
    by_id: dict[int, list[tuple[str, int]]] = {}
    for kind, _, activation_id, attempt in checks:
        by_id.setdefault(activation_id, []).append((kind, attempt))
    source_ids = {c[2] for c in recorder.calls if c[1] == "source"}
    assert source_ids.isdisjoint(by_id)  # ids are unique within the job
    runs = sorted(by_id.values(), key=len)
    # n == 1 passes at once; n == 0 fails, is retried twice under the same id
    assert runs == [
        [("started", 0), ("finished", 0)],
        [
            ("started", 0),
            ("finished", 0),
            ("started", 1),
            ("finished", 1),
            ("started", 2),
            ("finished", 2),
        ],
    ]


class SlowToHearOfFailures(AttemptRecorder):
    """Takes its time over a failed attempt's finish: while it does, the retry must not
    start (its wait for that start ends only when the time is up)."""

    def __init__(self) -> None:
        super().__init__()
        self.retry_started = threading.Event()

    @routilux.hookimpl
    def routilux_routine_started(self, routine_id: str, activation_id: int, attempt: int) -> None:
        super().routilux_routine_started(routine_id, activation_id, attempt)
        if attempt:
            self.retry_started.set()

    @routilux.hookimpl
    def routilux_routine_finished(
        self, routine_id: str, activation_id: int, attempt: int, error: BaseException | None
    ) -> None:
        if error is not None:
            self.retry_started.wait(0.5)
        super().routilux_routine_finished(routine_id, activation_id, attempt)


def test_a_retry_starts_after_observers_heard_of_the_failed_attempt(
    routilux_plugin: Register, make_flow: Any
) -> None:
    recorder = routilux_plugin(SlowToHearOfFailures())
    flow = chain(
        make_flow,
        bad=[0],
        execution_strategy="concurrent",
        max_workers=4,
        error_handler=ErrorHandler(strategy="retry", max_retries=1, retry_delay=0),
    )
    flow.run("source", {"count": 1}, timeout=WAIT)
    checks = [(kind, attempt) for kind, rid, _, attempt in recorder.calls if rid == "check"]
    assert checks == [("started", 0), ("finished", 0), ("started", 1), ("finished", 1)]


class AsyncCheck(Routine):
    """Fails the first time it sees n == 0 (an ``async def`` handler)."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False
        self.define_slot("input", self.go)

    async def go(self, n: int) -> None:
        if n == 0 and not self.failed:
            self.failed = True  # one loop runs the handlers: no two change it at once
            raise ValueError("not yet")


def test_async_handlers_give_observers_their_activation_id_and_attempt(
    routilux_plugin: Register, make_flow: Any
) -> None:
    recorder = routilux_plugin(AttemptRecorder())
    flow = make_flow(
        "obs",
        execution_strategy="asyncio",
        error_handler=ErrorHandler(strategy="retry", max_retries=2, retry_delay=0),
        tolerate_downstream_errors=False,  # the flow's handler covers `check` too
    )
    flow.add_routine(Source(), "source")
    flow.add_routine(AsyncCheck(), "check")
    flow.connect("source", "number", "check", "input")
    job = flow.run("source", {"count": 2}, timeout=WAIT)
    assert job.status == "completed"
    by_id: dict[int, list[tuple[str, int]]] = {}
    for kind, routine_id, activation_id, attempt in recorder.calls:
        if routine_id == "check":
            by_id.setdefault(activation_id, []).append((kind, attempt))
    assert sorted(by_id.values(), key=len) == [
        [("started", 0), ("finished", 0)],
        [("started", 0), ("finished", 0), ("started", 1), ("finished", 1)],
    ]


class WaitsForTheFailure(Routine):
    """n == 0 fails once n == 1 is running (a failing job starts no new activation, so
    n == 1 must have started); n == 1 returns only once the failure's finish is observed."""

    def __init__(self, failure_observed: threading.Event) -> None:
        super().__init__()
        self.failure_observed = failure_observed
        self.other_started = threading.Event()
        self.define_slot("input", self.go)

    def go(self, n: int) -> None:
        if n == 0:
            assert self.other_started.wait(WAIT)
            raise ValueError("bad number 0")
        self.other_started.set()
        assert self.failure_observed.wait(WAIT)


class StatusAtFinish:
    """Holds the failed activation's finish hook until the other activation has
    finished, and records the job's status each finish hook sees."""

    def __init__(self, failure_observed: threading.Event) -> None:
        self.failure_observed = failure_observed
        self.other_finished = threading.Event()
        self.lock = threading.Lock()
        self.seen: list[tuple[str, str]] = []

    @routilux.hookimpl
    def routilux_routine_finished(
        self, job_state: JobState, routine_id: str, error: BaseException | None
    ) -> None:
        if routine_id != "check":
            return
        if error is not None:
            self.failure_observed.set()
            assert self.other_finished.wait(WAIT)
        else:
            self.other_finished.set()
        with self.lock:
            self.seen.append(("failed" if error else "ok", str(job_state.status)))


def test_a_job_ends_only_after_every_finish_was_observed(
    routilux_plugin: Register, make_flow: Any
) -> None:
    # The failing activation fails the job; its finish hook is still running when the
    # other activation finishes last: the job must not end (and flow.run return) yet.
    failure_observed = threading.Event()
    observer = routilux_plugin(StatusAtFinish(failure_observed))
    flow = make_flow("obs", execution_strategy="concurrent", max_workers=4)
    flow.add_routine(Source(), "source")
    # its own STOP marks `check` failed and lets the other activation start and run (a
    # flow built in Python), so that one finishes last; the job then ends failed
    flow.add_routine(
        WaitsForTheFailure(failure_observed), "check", error_handler=ErrorHandler(strategy="stop")
    )
    flow.connect("source", "number", "check", "input")
    job = flow.run("source", {"count": 2}, timeout=WAIT)
    assert job.status == "failed"
    assert sorted(observer.seen) == [("failed", "running"), ("ok", "running")]
