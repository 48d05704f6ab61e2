"""An ``append`` slot hands its handler the keys of the delivery that woke it.

In 0.10 a program that joins two events into one ``append`` slot sees, on each call,
only the keys just delivered, each with every value received for it so far. The lists
are the slot buffer's own: a handler that keeps what it was given sees the values of
later deliveries arrive in it (a collector printing what it kept shows the full lists).
"""

import copy

from routilux import Flow, Routine
from routilux.routine import Routine as BareRoutine


class TwoEvents(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("a", ["v"])
        self.define_event("b", ["w"])

    def go(self) -> None:
        self.emit("a", v=1)
        self.emit("b", w=2)
        self.emit("a", v=3)


class Join(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict[str, object]] = []  # what each call was given, then
        self.kept: list[dict[str, object]] = []  # what it was given, kept as it is
        self.define_slot("input", handler=self.take, merge_strategy="append")

    def take(self, **data: object) -> None:
        self.seen.append(copy.deepcopy(data))
        self.kept.append(data)


def run_join() -> tuple[Join, dict[str, object]]:
    """Two events into one append slot, as one job: the Join and the job's slot buffers."""
    flow = Flow(flow_id="join")
    join = Join()
    flow.add_routine(TwoEvents(), "two")
    flow.add_routine(join, "join")
    flow.connect("two", "a", "join", "input")
    flow.connect("two", "b", "join", "input")
    job = flow.run("two", timeout=30)
    assert job.status == "completed"
    return join, job.slot_buffers


def test_each_call_gets_the_delivered_keys_with_all_their_values():
    join, _ = run_join()
    assert join.seen == [{"v": [1]}, {"w": [2]}, {"v": [1, 3]}]


def test_kept_lists_are_the_buffer_s_and_grow_with_later_deliveries():
    join, buffers = run_join()
    assert join.kept == [{"v": [1, 3]}, {"w": [2]}, {"v": [1, 3]}]
    assert buffers == {"join": {"input": {"v": [1, 3], "w": [2]}}}


def test_receive_outside_a_flow_appends_in_place_as_in_a_job():
    routine = BareRoutine()
    got: list[dict[str, object]] = []
    slot = routine.define_slot("in", handler=lambda **kw: got.append(kw), merge_strategy="append")
    slot.receive({"a": 1})
    slot.receive({"a": 2, "b": "x"})
    slot.receive({"b": "y"})
    assert got == [{"a": [1, 2]}, {"a": [1, 2], "b": ["x", "y"]}, {"b": ["x", "y"]}]
    assert slot.own_buffer() == {"a": [1, 2], "b": ["x", "y"]}
