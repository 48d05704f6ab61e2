"""Jobs of one flow never see each other's data, and one busy job never starves another."""

from __future__ import annotations

import threading

import pytest

from routilux import Flow, JobState, Routine

JOBS, THREADS, ITEMS = 200, 8, 5


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("item", ["tag", "n"])

    def send(self, tag: str, count: int = ITEMS) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        ctx.job_state.update_shared_data("tag", tag)
        for n in range(count):
            self.emit("item", tag=tag, n=n)


class Collector(Routine):
    """Append-merges every delivery; records what it saw in its state and outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.collect, merge_strategy="append")

    def collect(self, tag: list[str], n: list[int]) -> None:
        ctx = self.get_execution_context()
        assert ctx is not None
        ctx.job_state.update_routine_state(
            ctx.routine_id, {"tags": sorted(set(tag)), "seen": len(n)}
        )
        ctx.job_state.append_to_shared_log({"tag": tag[-1]})
        self.send_output("seen", tag=tag[-1], n=n[-1])


def collector_flow(strategy: str) -> Flow:
    flow = Flow(flow_id=f"isolation-{strategy}", execution_strategy=strategy, max_workers=8)
    flow.add_routine(Source(), "source")
    flow.add_routine(Collector(), "collector")
    flow.connect("source", "item", "collector", "input")
    return flow


@pytest.mark.parametrize("strategy", ["concurrent", "sequential"])
def test_200_jobs_from_8_threads_each_see_only_their_own_items(strategy):
    flow = collector_flow(strategy)
    jobs: dict[str, JobState] = {}
    lock = threading.Lock()

    def start(thread: int) -> None:
        for k in range(JOBS // THREADS):
            tag = f"t{thread}-j{k}"
            job = flow.execute("source", {"tag": tag})
            with lock:
                jobs[tag] = job

    threads = [threading.Thread(target=start, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert flow.wait_for_completion(timeout=120)
    assert len(jobs) == JOBS
    for tag, job in jobs.items():
        assert job.status == "completed"
        assert job.get_shared_data("tag") == tag
        emitted = [r.data for r in job.get_execution_history("source") if r.event_name == "item"]
        assert emitted == [{"tag": tag, "n": n} for n in range(ITEMS)]
        state = job.get_routine_state("collector")
        # concurrent activations of the collector may write their state in any order
        assert state["tags"] == [tag] and 1 <= state["seen"] <= ITEMS
        assert {e["tag"] for e in job.get_shared_log()} == {tag}
        assert {o["data"]["tag"] for o in job.output_log} == {tag}
        buffer = job.slot_buffers["collector"]["input"]
        assert buffer == {"tag": [tag] * ITEMS, "n": sorted(buffer["n"])} and sorted(
            buffer["n"]
        ) == list(range(ITEMS))
    flow.shutdown()


def test_a_job_with_10000_queued_activations_does_not_starve_a_job_with_one():
    """The scheduler takes activations round-robin between jobs. The big job's source
    queues 10,000 activations and holds the only worker until the small job is started;
    the small job then ends after a few of the big job's activations, not after all."""
    order: list[str] = []
    lock = threading.Lock()
    queued = threading.Event()
    small_started = threading.Event()

    class Burst(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.send)
            self.define_event("item", ["tag", "n"])

        def send(self, tag: str, count: int) -> None:
            for n in range(count):
                self.emit("item", tag=tag, n=n)

    class Sink(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=self.take)

        def take(self, tag: str, n: int) -> None:
            if tag == "big" and n == 0:  # hold the only worker until the small job is queued
                queued.set()
                assert small_started.wait(30)
            with lock:
                order.append(tag)

    flow = Flow(flow_id="fair", execution_strategy="concurrent", max_workers=1)
    flow.add_routine(Burst(), "source")
    flow.add_routine(Sink(), "sink")
    flow.connect("source", "item", "sink", "input")
    big = flow.execute("source", {"tag": "big", "count": 10_000})
    assert queued.wait(30)
    small = flow.execute("source", {"tag": "small", "count": 1})
    small_started.set()
    assert JobState.wait_for_completion(flow, small, timeout=60)
    with lock:
        big_done_before = order[: order.index("small")].count("big")
    assert big_done_before <= 2  # round robin: the small job waited for a couple, not 10,000
    assert JobState.wait_for_completion(flow, big, timeout=120) and big.status == "completed"
    assert order.count("big") == 10_000
    flow.shutdown()


def test_pause_resume_and_cancel_of_one_job_leave_the_others_alone():
    gate = threading.Event()

    class Slow(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.work)
            self.define_event("done", ["tag"])

        def work(self, tag: str) -> None:
            gate.wait(30)
            self.emit("done", tag=tag)

    class Kick(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=lambda tag: self.emit("go", tag=tag))
            self.define_event("go", ["tag"])

    flow = Flow(flow_id="independent", execution_strategy="concurrent", max_workers=4)
    flow.add_routine(Kick(), "kick")
    flow.add_routine(Slow(), "slow")
    flow.connect("kick", "go", "slow", "trigger")
    # execute() runs the entry (Kick) in this thread; Slow waits on the workers
    jobs = {tag: flow.execute("kick", {"tag": tag}) for tag in ("a", "b", "c")}
    flow.pause(jobs["a"], "only a", wait=False)
    flow.cancel(jobs["b"], "only b")
    gate.set()
    for job in jobs.values():
        JobState.wait_for_completion(flow, job, timeout=30)
    assert (jobs["a"].status, jobs["b"].status, jobs["c"].status) == (
        "paused",
        "cancelled",
        "completed",
    )
    assert [r.data for r in jobs["c"].execution_history if r.event_name == "done"] == [{"tag": "c"}]
    assert jobs["c"].pause_points == [] and "cancelled" not in {
        r.event_name for r in jobs["c"].execution_history
    }
    flow.resume(jobs["a"])
    assert (
        JobState.wait_for_completion(flow, jobs["a"], timeout=30)
        and jobs["a"].status == "completed"
    )
    assert jobs["b"].status == "cancelled"
    flow.shutdown()
