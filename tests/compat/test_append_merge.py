"""An ``append`` slot hands its handler the keys of the delivery that woke it.

In 0.10 a program that joins two events into one ``append`` slot sees, on each call,
only the keys just delivered, each with every value received for it so far.
"""

from routilux import Flow, Routine


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
        self.calls: list[dict[str, object]] = []
        self.define_slot("input", handler=self.take, merge_strategy="append")

    def take(self, **data: object) -> None:
        self.calls.append(data)


def test_each_call_gets_the_delivered_keys_with_all_their_values():
    flow = Flow(flow_id="join")
    join = Join()
    flow.add_routine(TwoEvents(), "two")
    flow.add_routine(join, "join")
    flow.connect("two", "a", "join", "input")
    flow.connect("two", "b", "join", "input")
    assert flow.run("two", timeout=30).status == "completed"
    assert join.calls == [{"v": [1]}, {"w": [2]}, {"v": [1, 3]}]
