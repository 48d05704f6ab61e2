"""Each activation is its handler's scope, also when a worker runs a job's activations
one after another: a context copied in a handler keeps that activation's scope, which
refuses emits once the handler has returned."""

from __future__ import annotations

import contextvars

import pytest

from routilux import ExecutionContextError, JobState, Routine


class Feed(Routine):
    """Emits `count` items."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("out", ["i"])

    def send(self, count: int = 1, **_: object) -> None:
        for i in range(count):
            self.emit("out", i=i)


class Keeper(Routine):
    """Keeps the context of its first activation; later activations try to emit in it."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)
        self.define_event("out", ["i"])
        self.first: contextvars.Context | None = None
        self.refused: list[str] = []

    def take(self, i: int, **_: object) -> None:
        if self.first is None:
            self.first = contextvars.copy_context()
            return
        try:  # the first activation has finished: its scope refuses, whatever runs now
            self.first.run(self.emit, "out", i=-i)
        except ExecutionContextError as exc:
            self.refused.append(str(exc))
        self.emit("out", i=i)  # this activation's own emit goes through


class Count(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[int] = []
        self.define_slot("input", handler=self.take)

    def take(self, i: int, **_: object) -> None:
        self.got.append(i)


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_a_copied_context_keeps_its_own_activation_as_scope(make_flow, strategy):
    flow = make_flow(flow_id="scope", execution_strategy=strategy, max_workers=1)
    keeper, count = Keeper(), Count()
    flow.add_routine(Feed(), "feed")
    flow.add_routine(keeper, "keep")
    flow.add_routine(count, "count")
    flow.connect("feed", "out", "keep", "input")
    flow.connect("keep", "out", "count", "input")
    job = flow.execute("feed", entry_params={"count": 50})
    assert JobState.wait_for_completion(flow, job, timeout=60)
    assert job.status == "completed"
    assert len(keeper.refused) == 49
    assert all("has finished" in message for message in keeper.refused)
    assert sorted(count.got) == list(range(1, 50))


def test_a_merge_function_runs_outside_any_handler(make_flow):
    """A merge function is not a handler: it sees no execution context, also when a
    worker starts its slot's activation right after another one of the same job."""
    seen: list[object] = []

    class Merging(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=lambda **kw: None, merge_strategy=self.merge)

        def merge(self, old: dict[str, object], new: dict[str, object]) -> dict[str, object]:
            seen.append(self.get_execution_context())
            return {**old, **new}

    flow = make_flow(flow_id="merge-scope", max_workers=1)
    flow.add_routine(Feed(), "feed")
    flow.add_routine(Merging(), "merge")
    flow.connect("feed", "out", "merge", "input")
    job = flow.execute("feed", entry_params={"count": 20})
    assert JobState.wait_for_completion(flow, job, timeout=60)
    assert job.status == "completed"
    assert seen == [None] * 20
