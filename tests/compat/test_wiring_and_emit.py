"""routilux 0.10's object-level wiring and ``emit(event, flow=None, **data)`` (issue 11,
items 2 and 3): deliveries made outside any job, through each slot's own buffer."""

from __future__ import annotations

import contextvars
import logging
import threading
import warnings

import pytest

from routilux import Connection, JobState, Routine


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.out = self.define_event("out", ["x"])
        self.define_slot("trigger", handler=lambda x=1: self.emit("out", x=x))


class Target(Routine):
    def __init__(self, merge: str = "override") -> None:
        super().__init__()
        self.seen: list[dict] = []
        self.inp = self.define_slot("inp", handler=self.take, merge_strategy=merge)

    def take(self, **data: object) -> None:
        self.seen.append(data)


def test_event_connect_emit_and_disconnect_deliver_at_once():
    source, target = Source(), Target("append")
    source.out.connect(target.inp)
    assert source.out.connected_slots == [target.inp]
    assert target.inp.connected_events == [source.out]
    source.out.emit(x=1)
    source.emit("out", x=2)  # the routine's emit takes the same path outside a job
    # an append slot hands over its buffer's own list: what the first call kept grew too
    assert target.seen == [{"x": [1, 2]}, {"x": [1, 2]}]
    source.out.disconnect(target.inp)
    source.emit("out", x=3)  # wired once: now connected to nothing, so nothing happens
    assert len(target.seen) == 2 and target.inp.connected_events == []


def test_slot_connect_is_the_same_link_seen_from_the_slot():
    source, target = Source(), Target()
    target.inp.connect(source.out)
    assert source.out.connected_slots == [target.inp]
    target.inp.disconnect(source.out)
    assert source.out.connected_slots == []


def test_a_connection_renames_keys_and_activates_its_slot():
    source, target = Source(), Target()
    connection = Connection(source.out, target.inp, param_mapping={"x": "y"})
    connection.activate({"x": 5, "z": 6})
    assert target.seen == [{"y": 5, "x": 5, "z": 6}]
    connection.disconnect()
    assert source.out.connected_slots == []


def test_receive_merges_into_the_slots_own_buffer_and_logs_handler_errors(caplog):
    target = Target("append")
    target.inp.receive({"a": 1})
    target.inp.receive({"a": 2, "b": 3})
    assert target.seen == [{"a": [1, 2]}, {"a": [1, 2], "b": [3]}]  # the buffer's lists

    class Broken(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.inp = self.define_slot("inp", handler=self.fail)

        def fail(self, **data: object) -> None:
            raise RuntimeError("broken handler")

    with caplog.at_level(logging.ERROR, logger="routilux.wiring"):
        Broken().inp.receive({"a": 1})  # logged, not raised (0.10's receive)
    assert "broken handler" in caplog.text


def test_emit_outside_a_job_with_flow_goes_to_the_flows_connections(make_flow):
    flow = make_flow(flow_id="outside")
    source, target = Source(), Target()
    flow.add_routine(source, "source")
    flow.add_routine(target, "target")
    flow.connect("source", "out", "target", "inp", param_mapping={"x": "renamed"})
    source.emit("out", flow=flow, x=9)
    assert target.seen == [{"renamed": 9, "x": 9}]


def test_a_handler_called_by_hand_delivers_through_the_flows_wiring(make_flow):
    # a 0.10 program tries its source routine out by calling the handler itself: the
    # emit, outside any job and without flow=, reaches what flow.connect wired it to
    flow = make_flow(flow_id="by-hand")
    source, target = Source(), Target()
    flow.add_routine(source, "source")
    flow.add_routine(target, "target")
    flow.connect("source", "out", "target", "inp", param_mapping={"x": "renamed"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # delivered, so nothing to warn about
        source.emit("out", x=4)
    assert target.seen == [{"renamed": 4, "x": 4}]
    job = flow.execute("source", entry_params={"x": 5})
    JobState.wait_for_completion(flow, job, timeout=30)
    assert target.seen[-1] == {"renamed": 5, "x": 5}  # the job delivers as before


class ThreadedSource(Routine):
    """Emits from a thread its handler starts and joins, in the handler's context or not."""

    def __init__(self, in_context: bool) -> None:
        super().__init__()
        self.in_context = in_context
        self.define_event("out", ["x"])
        self.define_slot("trigger", handler=self.send)

    def send(self) -> None:
        def work() -> None:
            self.emit("out", x=1)

        # an empty context stands for a thread's own: some builds (free-threaded 3.14)
        # let new threads inherit the starter's context
        context = contextvars.copy_context() if self.in_context else contextvars.Context()
        thread = threading.Thread(target=context.run, args=(work,))
        thread.start()
        thread.join()


def test_an_emit_from_a_handlers_own_thread_warns_that_it_missed_the_job(make_flow):
    # the thread does not carry the handler's job: 0.10 queued such an emit into the
    # flow, ours delivers it at once outside the job, so it says so and how to fix it
    flow = make_flow(flow_id="threads")
    target = Target()
    flow.add_routine(ThreadedSource(in_context=False), "source")
    flow.add_routine(target, "target")
    flow.connect("source", "out", "target", "inp")
    expected = "outside any job while flow 'threads' runs jobs"
    with pytest.warns(RuntimeWarning, match=expected) as caught:
        job = flow.execute("source")
    JobState.wait_for_completion(flow, job, timeout=30)
    (message,) = [str(w.message) for w in caught if expected in str(w.message)]
    assert "contextvars.copy_context().run" in message
    assert job.job_id not in message  # the same text for every job: shown once a place
    assert target.seen == [{"x": 1}]  # delivered, but not by the job:
    assert [r.event_name for r in job.execution_history] == ["start"]


def test_an_emit_from_a_thread_run_in_the_handlers_context_reaches_the_job(make_flow):
    flow = make_flow(flow_id="threads-in-context")
    target = Target()
    flow.add_routine(ThreadedSource(in_context=True), "source")
    flow.add_routine(target, "target")
    flow.connect("source", "out", "target", "inp")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        job = flow.execute("source")
    JobState.wait_for_completion(flow, job, timeout=30)
    assert target.seen == [{"x": 1}]
    assert job.status == "completed"
    assert [(r.routine_id, r.event_name) for r in job.execution_history][:2] == [
        ("source", "start"),
        ("source", "out"),
    ]


def test_emit_outside_a_job_with_nothing_wired_delivers_nothing_and_warns():
    # a handler called by hand (as a 0.10 program may, to try it out) can emit
    with pytest.warns(RuntimeWarning, match="outside a running job with nothing connected"):
        Source().emit("out", x=1)


def test_flow_is_a_keyword_inside_a_handler_and_never_part_of_the_data(make_flow):
    class Forward(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_event("out", ["x"])

        def go(self) -> None:
            ctx = self.get_execution_context()
            assert ctx is not None
            self.emit("out", flow=ctx.flow, x=1)

    flow = make_flow(flow_id="kw")
    flow.add_routine(Forward(), "fwd")
    target = Target()
    flow.add_routine(target, "target")
    flow.connect("fwd", "out", "target", "inp")
    job = flow.execute("fwd")
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert target.seen == [{"x": 1}]
    assert [r.data for r in job.get_execution_history("fwd") if r.event_name == "out"] == [{"x": 1}]


def test_jobs_never_use_the_slots_own_buffer(make_flow):
    flow = make_flow(flow_id="buffers")
    source, target = Source(), Target("append")
    flow.add_routine(source, "source")
    flow.add_routine(target, "target")
    flow.connect("source", "out", "target", "inp")
    target.inp.receive({"x": "by hand"})
    for x in (1, 2):
        job = flow.execute("source", {"x": x})
        assert JobState.wait_for_completion(flow, job, timeout=30)
    # each job starts its own buffer; the hand delivery stays in the slot's buffer
    assert target.seen == [{"x": ["by hand"]}, {"x": [1]}, {"x": [2]}]


def test_a_flow_connection_can_be_disconnected(make_flow):
    flow = make_flow(flow_id="cut")
    source, target = Source(), Target()
    flow.add_routine(source, "source")
    flow.add_routine(target, "target")
    connection = flow.connect("source", "out", "target", "inp")
    assert (connection.source_event.name, connection.target_slot.name) == ("out", "inp")
    connection.disconnect()
    assert flow.connections == []
    job = flow.execute("source")
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert target.seen == []


def test_the_same_connection_made_twice_delivers_once(make_flow):
    flow = make_flow(flow_id="twice")
    flow.add_routine(Source(), "source")
    target = Target()
    flow.add_routine(target, "target")
    first = flow.connect("source", "out", "target", "inp")
    flow.connect("source", "out", "target", "inp", param_mapping={"x": "y"})
    assert len(flow.connections) == 2
    job = flow.run("source", {"x": 5}, timeout=30)
    assert job.status == "completed"
    assert target.seen == [{"x": 5}]  # once, with the first connection's mapping
    first.disconnect()
    flow.run("source", {"x": 6}, timeout=30)
    assert target.seen == [{"x": 5}, {"y": 6, "x": 6}]  # the other one still delivers


def test_disconnecting_keeps_a_routines_own_loop(make_flow):
    class Countdown(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=lambda n: self.emit("again", n=n))
            self.define_slot("step", handler=self.step)
            self.define_event("again", ["n"], loop_to="step")
            self.define_event("done", ["n"])

        def step(self, n: int) -> None:
            self.emit("again" if n > 0 else "done", n=n - 1)

    flow = make_flow(flow_id="loop")
    flow.add_routine(Countdown(), "count")
    target = Target()
    flow.add_routine(target, "target")
    flow.connect("count", "done", "target", "inp").disconnect()
    job = flow.run("count", {"n": 3}, timeout=30)
    assert job.status == "completed"
    steps = [r for r in job.get_execution_history("count") if r.event_name == "again"]
    assert len(steps) == 4  # the loop still ran down to 0


def test_a_connection_prints_as_0_10_printed_it():
    source, target = Routine(), Routine()
    event = source.define_event("out", ["x"])
    slot = target.define_slot("input", handler=lambda **kw: None)
    connection = Connection(event, slot)
    expected = f"Connection[Event[{source.default_id}.out] -> Slot[{target.default_id}.input]]"
    assert str(connection) == repr(connection) == expected


def test_the_input_helper_0_10_recommended_to_handlers():
    """0.10's docstrings tell handlers to pick their input with _extract_input_data."""
    routine = Routine()
    pick = routine._extract_input_data  # the name 0.10 programs call
    assert pick("text") == "text"
    assert pick(data="d", other=1) == "d"
    assert pick(None, a=1) == 1
    assert pick(None, a=1, b=2) == {"a": 1, "b": 2}
    assert pick() == {}
