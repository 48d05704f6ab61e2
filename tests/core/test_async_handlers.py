"""``async def`` handlers: refused where they cannot run, awaited where they can;
async entry points (`Flow.arun`, `JobState.wait_async`) that never block a loop."""

from __future__ import annotations

import asyncio
import threading
import warnings
from typing import Any

import pytest

import routilux
from routilux import (
    AsyncHandlerError,
    ErrorHandler,
    ExecutionContextError,
    Flow,
    FlowSpecError,
    JobState,
    Routine,
)
from routilux.routine import class_key


class AsyncStep(Routine):
    """trigger/inp: awaits, then emits ``out`` with the value doubled."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.handle)
        self.define_slot("inp", self.handle)
        self.define_event("out", ["value"])

    async def handle(self, value: int = 1) -> None:
        await asyncio.sleep(0)
        self.emit("out", value=value * 2)


class SyncStep(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.handle)
        self.define_slot("inp", self.handle)
        self.define_event("out", ["value"])

    def handle(self, value: int = 1) -> None:
        self.emit("out", value=value * 2)


# ------------------------------------------------------------------ refused


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_an_async_handler_on_an_executor_that_cannot_await_it_is_refused_at_add_routine(
    make_flow: Any, strategy: str
) -> None:
    flow = make_flow(execution_strategy=strategy)
    with pytest.raises(AsyncHandlerError) as caught:
        flow.add_routine(AsyncStep(), "fetch")
    message = str(caught.value)
    assert "fetch.trigger" in message and repr(strategy) in message and "asyncio" in message
    assert "fetch" not in flow.routines


def test_switching_to_an_executor_that_cannot_await_is_refused(make_flow: Any) -> None:
    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(AsyncStep(), "fetch")
    with pytest.raises(AsyncHandlerError, match="fetch.trigger"):
        flow.set_execution_strategy("threads")
    assert flow.execution_strategy == "asyncio"


def test_an_executor_set_behind_the_flows_back_is_refused_before_the_job_starts(
    make_flow: Any,
) -> None:
    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(AsyncStep(), "fetch")
    flow.execution_strategy = "threads"
    with pytest.raises(AsyncHandlerError, match="fetch.trigger"):
        flow.execute("fetch", {"value": 1})


def test_a_spec_with_an_async_routine_and_a_thread_executor_names_the_routine() -> None:
    spec = {
        "execution_strategy": "concurrent",
        "routines": {"fetch": {"class": class_key(AsyncStep)}},
    }
    with pytest.raises(FlowSpecError) as caught:
        Flow.from_spec(spec)
    paths = [path for path, _ in caught.value.problems]
    assert paths == ["routines.fetch"]
    assert Flow.from_spec({**spec, "execution_strategy": "asyncio"}).routines["fetch"]


def test_a_sync_handler_returning_a_coroutine_fails_instead_of_being_skipped(
    make_flow: Any,
) -> None:
    async def body() -> None:
        raise AssertionError("never runs")

    class Sneaky(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", lambda: body())

    flow = make_flow(execution_strategy="concurrent")
    flow.add_routine(Sneaky(), "sneaky")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "coroutine ... was never awaited"
        job = flow.run("sneaky", timeout=30)
    assert job.status == "failed"
    assert "sneaky.trigger returned an awaitable" in job.get_routine_state("sneaky")["error"]


# ------------------------------------------------------------------ awaited


def test_async_handlers_run_concurrently_on_one_loop(make_flow: Any) -> None:
    """Each handler waits until all of them have started: only possible if all run at
    once (a pool of 5 threads would never get there)."""
    count = 300

    class Fan(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.fan)
            self.define_event("item", ["index"])

        def fan(self) -> None:
            for index in range(count):
                self.emit("item", index=index)

    class Barrier(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.started = 0
            self.all_in: asyncio.Event | None = None
            self.define_slot("inp", self.wait)

        async def wait(self, index: int) -> None:
            if self.all_in is None:
                self.all_in = asyncio.Event()
            self.started += 1
            if self.started == count:
                self.all_in.set()
            await asyncio.wait_for(self.all_in.wait(), 60)

    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(Fan(), "fan")
    flow.add_routine(Barrier(), "barrier")
    flow.connect("fan", "item", "barrier", "inp")
    job = flow.run("fan", timeout=120)
    assert job.status == "completed", job.routine_states
    assert job.get_routine_state("barrier") is None  # a routine's state is its handlers' own


def test_emit_output_deferred_events_and_context_work_inside_async_handlers(
    make_flow: Any,
) -> None:
    class Everything(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)
            self.define_event("out", ["n"])
            self.define_event("later", ["n"])

        async def go(self, n: int) -> None:
            await asyncio.sleep(0)
            context = self.get_execution_context()
            assert context is not None
            context.job_state.update_shared_data("routine_id", context.routine_id)
            self.send_output("progress", n=n)
            await asyncio.sleep(0)
            self.emit_deferred_event("later", n=n + 1)
            self.emit("out", n=n)

    class Collect(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.take)

        async def take(self, n: int) -> None:
            await asyncio.sleep(0)
            self.get_execution_context().job_state.update_shared_data("got", n)  # type: ignore[union-attr]

    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(Everything(), "every")
    flow.add_routine(Collect(), "collect")
    flow.connect("every", "out", "collect", "inp")
    job = flow.run("every", {"n": 4}, timeout=60)
    assert job.status == "completed", job.routine_states
    assert job.shared_data == {"routine_id": "every", "got": 4}
    assert [(o["output_type"], o["data"]) for o in job.output_log] == [("progress", {"n": 4})]
    assert [(e["event_name"], e["data"]) for e in job.deferred_events] == [("later", {"n": 5})]


def _mixed_and_sync_flows(make_flow: Any, async_middle: bool, strategy: str) -> Flow:
    class Source(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)
            self.define_event("item", ["n"])

        def go(self, count: int) -> None:
            for n in range(count):
                self.emit("item", n=n)

    class SyncSquare(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.square)
            self.define_event("out", ["n", "square"])

        def square(self, n: int) -> None:
            self.send_output("square", n=n)
            self.emit("out", n=n, square=n * n)

    class AsyncSquare(SyncSquare):
        async def square(self, n: int) -> None:  # type: ignore[override]
            await asyncio.sleep(0.001 * (n % 3))
            SyncSquare.square(self, n)

    class Total(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.add, merge_strategy="append")
            self.define_slot("done", self.finish, idle=True)

        def add(self, n: list[int], square: list[int]) -> None:
            pass

        def finish(self) -> None:
            context = self.get_execution_context()
            assert context is not None
            buffer = context.job_state._slot_buffers.get("total", {}).get("inp", {})
            context.job_state.update_shared_data("sum", sum(buffer.get("square", [])))

    flow = make_flow(execution_strategy=strategy)
    flow.add_routine(Source(), "source")
    flow.add_routine(AsyncSquare() if async_middle else SyncSquare(), "square")
    flow.add_routine(Total(), "total")
    flow.connect("source", "item", "square", "inp")
    flow.connect("square", "out", "total", "inp")
    return flow


def _comparable(job: JobState) -> dict[str, Any]:
    return {
        "status": job.status,
        "routine_states": job.routine_states,
        "shared_data": job.shared_data,
        "outputs": sorted(
            (o["routine_id"], o["output_type"], o["data"]["n"]) for o in job.output_log
        ),
        "history": sorted(
            (r.routine_id, r.event_name, sorted(r.data.items())) for r in job.execution_history
        ),
        "pending": job.pending_tasks if hasattr(job, "pending_tasks") else None,
    }


def test_a_mixed_async_and_sync_flow_gives_the_same_job_state_as_all_sync_on_threads(
    make_flow: Any,
) -> None:
    mixed = _mixed_and_sync_flows(make_flow, True, "asyncio").run("source", {"count": 30}, 60)
    plain = _mixed_and_sync_flows(make_flow, False, "concurrent").run("source", {"count": 30}, 60)
    assert mixed.status == "completed"
    assert mixed.shared_data == {"sum": sum(n * n for n in range(30))}
    assert _comparable(mixed) == _comparable(plain)


def test_an_async_handler_that_times_out_is_cancelled(make_flow: Any) -> None:
    seen: list[str] = []

    class Slow(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go, timeout=0.2)

        async def go(self) -> None:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise
            seen.append("ran on")  # never: the handler was stopped

    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(Slow(), "slow")
    job = flow.run("slow", timeout=60)
    assert job.status == "failed"
    assert seen == ["cancelled"]
    assert "timed out after 0.2s" in job.get_routine_state("slow")["error"]


def test_a_timed_out_async_attempt_has_stopped_before_its_retry_starts(make_flow: Any) -> None:
    seen: list[str] = []

    class SlowOnce(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)

        async def go(self) -> None:
            attempt = len([s for s in seen if s == "start"])
            seen.append("start")
            try:
                await asyncio.sleep(60 if attempt == 0 else 0)
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise
            seen.append("end")

    flow = make_flow(execution_strategy="asyncio")
    handler = ErrorHandler("retry", max_retries=1, retry_delay=0, timeout=0.2)
    flow.add_routine(SlowOnce(), "slow", error_handler=handler)
    job = flow.run("slow", timeout=60)
    assert job.status == "completed"
    assert seen == ["start", "cancelled", "start", "end"]


def test_cancel_raises_cancelled_error_into_running_async_handlers(make_flow: Any) -> None:
    started = threading.Event()
    seen: list[str] = []

    class Waits(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.go)

        async def go(self, value: int) -> None:
            started.set()
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise

    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(SyncStep(), "start")
    flow.add_routine(Waits(), "waits")
    flow.connect("start", "out", "waits", "inp")
    job = flow.execute("start", {"value": 1})
    assert started.wait(30), (job.status, job.routine_states)
    flow.cancel(job, "no longer needed")
    assert job.status == "cancelled"
    assert flow.wait_for_completion(30)
    flow.shutdown(wait=True)  # returns once the cancelled handler has ended
    assert seen == ["cancelled"]


def test_execute_returns_once_an_async_entry_handler_has_run(make_flow: Any) -> None:
    class Entry(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)
            self.define_event("out", [])

        async def go(self) -> None:
            await asyncio.sleep(0.05)
            self.get_execution_context().job_state.update_shared_data("entry", "ran")  # type: ignore[union-attr]
            self.emit("out")

    gate = threading.Event()

    class Later(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.go)

        async def go(self) -> None:
            while not gate.is_set():
                await asyncio.sleep(0.01)

    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(Entry(), "entry")
    flow.add_routine(Later(), "later")
    flow.connect("entry", "out", "later", "inp")
    job = flow.execute("entry")
    assert job.shared_data == {"entry": "ran"}
    assert job.get_routine_state("entry")["status"] == "completed"
    gate.set()
    assert JobState.wait_for_completion(flow, job, 60)
    assert job.status == "completed"


# ------------------------------------------------------------ async entry points


def test_arun_and_wait_async_do_not_block_the_callers_loop(make_flow: Any) -> None:
    """The job can only finish if another task of the caller's loop runs meanwhile."""
    gate = threading.Event()

    class WaitsForTheLoop(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go)

        def go(self) -> None:
            if not gate.wait(60):
                raise TimeoutError("the caller's loop was blocked")

    async def open_gate() -> None:
        await asyncio.sleep(0)
        gate.set()

    async def main(flow: Flow) -> tuple[JobState, JobState, bool]:
        opener = asyncio.ensure_future(open_gate())
        first = await flow.arun("w", timeout=60)
        await opener
        gate.clear()
        second = flow.execute("w")
        opener = asyncio.ensure_future(open_gate())
        stopped = await second.wait_async(timeout=60)
        return first, second, stopped

    flow = make_flow(execution_strategy="concurrent")
    flow.add_routine(WaitsForTheLoop(), "w")
    first, second, stopped = asyncio.run(main(flow))
    assert first.status == "completed"
    assert stopped and second.status == "completed"


def test_wait_async_returns_false_on_timeout_and_true_once_the_job_stops(
    make_flow: Any,
) -> None:
    gate = threading.Event()

    class Kick(Routine):  # execute() runs the entry here; Blocks runs on the workers
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", lambda: self.emit("go"))
            self.define_event("go")

    class Blocks(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", lambda: gate.wait(60))

    async def main(job: JobState) -> tuple[bool, bool]:
        early = await job.wait_async(timeout=0.05)
        gate.set()
        late = await job.wait_async(timeout=60)
        return early, late

    flow = make_flow(execution_strategy="concurrent")
    flow.add_routine(Kick(), "kick")
    flow.add_routine(Blocks(), "blocks")
    flow.connect("kick", "go", "blocks", "input")
    job = flow.execute("kick")
    assert asyncio.run(main(job)) == (False, True)
    assert job.status == "completed"


def test_arun_runs_async_handlers_from_inside_a_loop(make_flow: Any) -> None:
    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(AsyncStep(), "a")
    flow.add_routine(SyncStep(), "b")
    flow.connect("a", "out", "b", "inp")

    async def main() -> JobState:
        return await flow.arun("a", {"value": 3}, timeout=60)

    job = asyncio.run(main())
    assert job.status == "completed"
    assert [(r.routine_id, r.event_name, r.data) for r in job.execution_history] == [
        ("a", "start", {"value": 3}),
        ("a", "out", {"value": 6}),
        ("b", "out", {"value": 12}),
    ]


def test_waiting_on_the_flow_never_takes_the_wake_up_meant_for_the_executor(
    make_flow: Any,
) -> None:
    """The asyncio executor pulls work with one thread; a flow.wait_for_completion()
    waiting meanwhile must not swallow the notification that work is ready."""

    class Later(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.go)
            self.define_event("out", ["value"])

        async def go(self, value: int) -> None:
            await asyncio.sleep(0.2)  # the caller is waiting on the flow by now
            for _ in range(5):
                self.emit("out", value=value)

    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(SyncStep(), "start")
    flow.add_routine(Later(), "later")
    flow.add_routine(AsyncStep(), "end")
    flow.connect("start", "out", "later", "inp")
    flow.connect("later", "out", "end", "inp")
    job = flow.execute("start", {"value": 1})
    assert flow.wait_for_completion(60), job.routine_states
    assert job.status == "completed"


def test_an_async_handler_that_swallows_its_timeout_cannot_write_afterwards(
    make_flow: Any,
) -> None:
    refused: list[str] = []

    class Stubborn(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", self.go, timeout=0.2)
            self.define_event("out", [])

        async def go(self) -> None:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                pass  # carries on regardless
            try:
                self.emit("out")
            except ExecutionContextError as exc:
                refused.append(str(exc))

    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(Stubborn(), "stubborn")
    job = flow.run("stubborn", timeout=60)
    assert job.status == "failed"
    assert "timed out after 0.2s" in job.get_routine_state("stubborn")["error"]
    assert len(refused) == 1 and "timed out after 0.2s" in refused[0]
    assert [r.event_name for r in job.execution_history if r.routine_id == "stubborn"] == [
        "start",
        "error",
    ]


class Observed:
    """Records routine_started/finished with the activation id, per routine."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[tuple[str, str, int]] = []

    @routilux.hookimpl
    def routilux_routine_started(self, routine_id: str, activation_id: int) -> None:
        with self.lock:
            self.events.append(("started", routine_id, activation_id))

    @routilux.hookimpl
    def routilux_routine_finished(self, routine_id: str, activation_id: int) -> None:
        with self.lock:
            self.events.append(("finished", routine_id, activation_id))


def test_observers_see_each_async_activation_start_and_finish(
    routilux_plugin: Any, make_flow: Any
) -> None:
    observed = routilux_plugin(Observed())
    flow = make_flow(execution_strategy="asyncio")
    flow.add_routine(AsyncStep(), "a")
    flow.add_routine(SyncStep(), "b")
    flow.add_routine(AsyncStep(), "c")
    flow.connect("a", "out", "b", "inp")
    flow.connect("b", "out", "c", "inp")
    job = flow.run("a", {"value": 1}, timeout=60)
    assert job.status == "completed"
    with observed.lock:
        events = list(observed.events)
    started = [(r, i) for kind, r, i in events if kind == "started"]
    finished = [(r, i) for kind, r, i in events if kind == "finished"]
    assert [r for r, _ in started] == ["a", "b", "c"]
    assert sorted(started) == sorted(finished)
