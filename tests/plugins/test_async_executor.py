"""The ``asyncio`` executor's options and its handling of plain handlers."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from routilux import Flow, Routine


class Fan(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", self.fan)
        self.define_event("item", ["index"])

    def fan(self, count: int) -> None:
        for index in range(count):
            self.emit("item", index=index)


def test_max_concurrency_bounds_the_handlers_running_at_once(make_flow: Any) -> None:
    class Counts(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.running = 0
            self.most = 0
            self.define_slot("inp", self.go)

        async def go(self, index: int) -> None:
            self.running += 1  # one loop: no two handlers change it at once
            self.most = max(self.most, self.running)
            await asyncio.sleep(0.01)
            self.running -= 1

    counts = Counts()
    flow: Flow = make_flow(execution_strategy="asyncio", executor_options={"max_concurrency": 3})
    flow.add_routine(Fan(), "fan")
    flow.add_routine(counts, "counts")
    flow.connect("fan", "item", "counts", "inp")
    job = flow.run("fan", {"count": 40}, timeout=60)
    assert job.status == "completed"
    assert 1 <= counts.most <= 3


def test_plain_handlers_run_on_the_pool_not_on_the_loop(make_flow: Any) -> None:
    """A blocking plain handler must not stop async handlers from making progress."""
    release = threading.Event()

    class Blocks(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.block)

        def block(self, index: int) -> None:
            if index == 0 and not release.wait(60):
                raise TimeoutError("the loop never got to run the async handler")

    class Releases(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("inp", self.go)

        async def go(self, index: int) -> None:
            await asyncio.sleep(0)
            release.set()

    flow: Flow = make_flow(execution_strategy="asyncio", max_workers=2)
    flow.add_routine(Fan(), "fan")
    flow.add_routine(Blocks(), "blocks")
    flow.add_routine(Releases(), "releases")
    flow.connect("fan", "item", "blocks", "inp")
    flow.connect("fan", "item", "releases", "inp")
    job = flow.run("fan", {"count": 1}, timeout=60)
    assert job.status == "completed", job.routine_states


@pytest.mark.parametrize(
    ("options", "match"),
    [({"max_concurrency": 0}, "max_concurrency must be a positive int"), ({"loop": 1}, "'loop'")],
)
def test_bad_options_are_refused_naming_them(
    make_flow: Any, options: dict[str, Any], match: str
) -> None:
    flow: Flow = make_flow(execution_strategy="asyncio", executor_options=options)
    flow.add_routine(Fan(), "fan")
    with pytest.raises(ValueError, match=match):
        flow.execute("fan", {"count": 1})
