"""`Event.connected_slots` and `Slot.connected_events` show a flow's wiring, as in 0.10.

0.10 programs inspect them after `flow.connect(...)` to see what is wired to what.
They describe the wiring only: a flow's jobs are routed by the flow, so listing a
slot there never delivers an event twice, and a flow-wired event emitted outside
any job goes to each listed slot once, as in 0.10.
"""

from __future__ import annotations

import pickle

from routilux import Flow, JobState, Routine

WAIT = 30


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.out = self.define_event("out", ["x"])
        self.define_slot("trigger", handler=self.go)

    def go(self, x: int = 1) -> None:
        self.emit("out", x=x)


class Target(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict] = []
        self.inp = self.define_slot("inp", handler=self.take)

    def take(self, **data: object) -> None:
        self.seen.append(data)


def fan_out() -> tuple[Flow, Source, Target, Target]:
    flow = Flow(flow_id="lists")
    source, one, two = Source(), Target(), Target()
    flow.add_routine(source, "src")
    flow.add_routine(one, "one")
    flow.add_routine(two, "two")
    flow.connect("src", "out", "one", "inp")
    flow.connect("src", "out", "two", "inp")
    return flow, source, one, two


def test_flow_connect_lists_the_wiring_on_both_ends():
    flow, source, one, two = fan_out()
    assert source.out.connected_slots == [one.inp, two.inp]
    assert one.inp.connected_events == [source.out]
    assert two.inp.connected_events == [source.out]
    flow.shutdown()


def test_each_slot_gets_each_emission_once():
    flow, source, one, two = fan_out()
    source.out.connect(one.inp)  # wired object-level too: still one delivery per job
    job = flow.execute("src", {"x": 7})
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert one.seen == [{"x": 7}] and two.seen == [{"x": 7}]
    assert source.out.connected_slots == [one.inp, two.inp]
    flow.shutdown()


def test_a_flow_wired_event_emitted_outside_a_job_reaches_each_slot_once():
    # as in 0.10, whose flow.connect wired the event object-level too: a handler
    # called by hand delivers at once, in the calling thread, to every listed slot
    flow, source, one, two = fan_out()
    source.emit("out", x=1)
    assert one.seen == [{"x": 1}] and two.seen == [{"x": 1}]
    flow.shutdown()


def test_disconnecting_keeps_the_lists_and_the_routes_in_step():
    flow, source, one, two = fan_out()
    first = flow.connections[0]
    first.disconnect()
    assert source.out.connected_slots == [two.inp]
    assert one.inp.connected_events == []
    source.out.disconnect(two.inp)  # 0.10's way: the event forgets the slot, flows too
    assert source.out.connected_slots == [] and flow.connections == []
    flow.connect("src", "out", "one", "inp")
    job = flow.execute("src", {"x": 2})
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert one.seen == [{"x": 2}] and two.seen == []
    flow.shutdown()


def test_two_flows_sharing_an_event_keep_their_own_links():
    source, target = Source(), Target()
    first, second = Flow(flow_id="first"), Flow(flow_id="second")
    for flow in (first, second):
        flow.add_routine(source, "src")
        flow.add_routine(target, "t")
    first.connect("src", "out", "t", "inp")
    second.connect("src", "out", "t", "inp")
    source.emit("out", x=3)  # outside a job: the slot is listed once, so once
    assert target.seen == [{"x": 3}]
    first.connections[0].disconnect()
    assert source.out.connected_slots == [target.inp]  # the second flow still wires them
    first.shutdown()
    second.shutdown()


def test_a_pickled_routine_does_not_carry_its_neighbours():
    flow, source, _, _ = fan_out()
    copy = pickle.loads(pickle.dumps(source))
    assert copy.get_event("out").connected_slots == []
    flow.shutdown()
