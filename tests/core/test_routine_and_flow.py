"""Routines, slots, events and flows: the handler-calling rule, merges, and bad input."""

from __future__ import annotations

import copy
import threading

import pytest

from routilux import (
    Connection,
    DefinitionError,
    DuplicateRoutineError,
    EventNotFoundError,
    FlowError,
    JobState,
    Routine,
    RoutineNotFoundError,
    SlotNotFoundError,
)
from routilux.errors import message_with_notes


class Emitter(Routine):
    def __init__(self, **data):
        super().__init__()
        self.data = data
        self.define_slot("trigger", handler=lambda: self.emit("out", **self.data))
        self.define_event("out")


class Recorder(Routine):
    def __init__(self, handler_kind, merge="override"):
        super().__init__()
        self.calls = []
        self.define_slot("input", handler=getattr(self, handler_kind), merge_strategy=merge)

    def kwargs(self, **kw):
        # as seen by this call: an append slot hands over its buffer's lists, which grow
        self.calls.append(("kwargs", copy.deepcopy(kw)))

    def data(self, data):
        self.calls.append(("data", data))

    def single(self, x):
        self.calls.append(("single", x))

    def named(self, x, y="default"):
        self.calls.append(("named", (x, y)))

    def nothing(self):
        self.calls.append(("nothing", None))


def deliver(recorder, make_flow, **data):
    flow = make_flow()
    flow.add_routine(Emitter(**data), "emitter")
    flow.add_routine(recorder, "recorder")
    flow.connect("emitter", "out", "recorder", "input")
    job = flow.run("emitter")
    assert job.status == "completed", job.routine_states
    return recorder.calls


@pytest.mark.parametrize(
    "kind, data, expected",
    [
        ("kwargs", {"x": 1, "y": 2}, ("kwargs", {"x": 1, "y": 2})),
        ("data", {"data": 1, "x": 2}, ("data", {"data": 1, "x": 2})),
        ("single", {"x": 5, "z": 6}, ("single", 5)),
        ("single", {"z": 6}, ("single", {"z": 6})),
        ("named", {"x": 1, "z": 0}, ("named", (1, "default"))),
        ("nothing", {"x": 1}, ("nothing", None)),
    ],
)
def test_the_handler_calling_rule(make_flow, kind, data, expected):
    assert deliver(Recorder(kind), make_flow, **data) == [expected]


def test_merge_strategies_keep_a_buffer_per_job(make_flow):
    flow = make_flow()

    class Many(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.send)
            self.define_event("out")

        def send(self, tag):
            for n in range(3):
                self.emit("out", tag=tag, n=n)

    def keep_last_two(old, new):
        return {"n": [*old.get("n", []), new["n"]][-2:]}

    appended, custom = Recorder("kwargs", "append"), Recorder("kwargs", keep_last_two)
    flow.add_routine(Many(), "many")
    flow.add_routine(appended, "appended")
    flow.add_routine(custom, "custom")
    flow.connect("many", "out", "appended", "input")
    flow.connect("many", "out", "custom", "input")
    flow.run("many", {"tag": "first"})
    flow.run("many", {"tag": "second"})  # a new job starts with empty buffers
    assert [kw for _, kw in appended.calls][3:] == [
        {"tag": ["second"], "n": [0]},
        {"tag": ["second", "second"], "n": [0, 1]},
        {"tag": ["second", "second", "second"], "n": [0, 1, 2]},
    ]
    assert [kw["n"] for _, kw in custom.calls][3:] == [[0], [0, 1], [1, 2]]


def test_param_mapping_adds_the_new_name_and_passes_every_key_on(make_flow):
    recorder = Recorder("kwargs")
    flow = make_flow()
    flow.add_routine(Emitter(a=1, b=2), "emitter")
    flow.add_routine(recorder, "recorder")
    flow.connect("emitter", "out", "recorder", "input", param_mapping={"a": "alpha"})
    flow.run("emitter")
    # as in 0.10: the renamed key first, then the event's own keys (`a` too)
    assert recorder.calls == [("kwargs", {"alpha": 1, "a": 1, "b": 2})]


def test_definition_errors_name_the_slot_or_event():
    routine = Routine()
    routine.define_slot("input")
    with pytest.raises(DefinitionError, match=r"^Slot 'input' already exists in Routine\["):
        routine.define_slot("input")
    with pytest.raises(DefinitionError, match="merge_strategy must be"):
        routine.define_slot("other", merge_strategy="sum")
    routine.define_event("out")
    with pytest.raises(DefinitionError, match=r"^Event 'out' already exists in Routine\["):
        routine.define_event("out")


def test_emit_outside_a_run_and_of_an_undeclared_event(make_flow):
    routine = Emitter()
    with pytest.warns(RuntimeWarning, match="outside a running job"):
        routine.emit("out", x=1)  # nothing connected: nothing delivered, as in 0.10
    with pytest.raises(EventNotFoundError, match=r"^Event 'nope' does not exist in Emitter\[") as e:
        routine.emit("nope")
    assert "declare it with define_event('nope')" in message_with_notes(e.value)
    assert routine.get_execution_context() is None

    class Wrong(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=lambda: self.emit("outt", x=1))
            self.define_event("out")

    flow = make_flow()
    flow.add_routine(Wrong(), "wrong")
    job = flow.run("wrong")
    assert job.status == "failed"
    # the state holds 0.10's message; the traceback, what to do
    assert job.get_routine_state("wrong")["error"].startswith(
        "Event 'outt' does not exist in Wrong["
    )
    assert "routine 'wrong' (Wrong) declares ['out']" in job.traceback_of("wrong")


def test_connect_and_add_routine_errors_name_what_is_wrong(make_flow):
    # the message is routilux 0.10's (programs print it); what to do is in its note
    flow = make_flow(flow_id="f")
    flow.add_routine(Emitter(), "a")
    flow.add_routine(Recorder("kwargs"), "b")
    cases = [
        (
            lambda: flow.connect("x", "out", "b", "input"),
            RoutineNotFoundError,
            "Source routine 'x' not found in flow",
            "flow 'f' has the routines 'a', 'b'; add it with add_routine first",
        ),
        (
            lambda: flow.connect("a", "output", "b", "input"),
            EventNotFoundError,
            "Event 'output' not found in routine 'a'",
            "routine 'a' declares 'out'; declare it with define_event('output')",
        ),
        (
            lambda: flow.connect("a", "out", "y", "input"),
            RoutineNotFoundError,
            "Target routine 'y' not found in flow",
            "add it with add_routine first",
        ),
        (
            lambda: flow.connect("a", "out", "b", "in"),
            SlotNotFoundError,
            "Slot 'in' not found in routine 'b'",
            "routine 'b' declares 'input'; declare it with define_slot('in')",
        ),
        (
            lambda: flow.add_routine(Emitter(), "a"),
            DuplicateRoutineError,
            "Routine ID 'a' already exists in flow",
            "flow 'f' already has a routine with id 'a'; choose another id",
        ),
    ]
    for call, error, message, hint in cases:
        with pytest.raises(error) as raised:
            call()
        assert str(raised.value) == message
        assert hint in message_with_notes(raised.value)
    routine = Emitter()
    flow.add_routine(routine, "c")
    with pytest.raises(DuplicateRoutineError, match="already in flow 'f' as 'c'"):
        flow.add_routine(routine, "d")
    # an empty id is an error, not a silent fallback to a generated id
    with pytest.raises(FlowError, match="routine id must be a non-empty str, not ''"):
        flow.add_routine(Emitter(), "")
    # an entry without a trigger slot is a failure of that routine (as in 0.10), whose
    # message says what to define
    job = flow.execute("b")
    assert job.status == "failed"
    assert job.get_routine_state("b")["error"] == (
        "Entry routine 'b' must have a 'trigger' slot. "
        "Define it using: routine.define_slot('trigger', handler=your_handler)"
    )
    for error in (RoutineNotFoundError, SlotNotFoundError, DuplicateRoutineError, FlowError):
        assert issubclass(error, ValueError)


def test_sequential_run_happens_in_the_callers_thread(make_flow):
    threads = []

    class Where(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.note)
            self.define_slot("input", handler=self.note)
            self.define_event("out")

        def note(self, **data):
            threads.append(threading.current_thread())
            if not data:
                self.emit("out", downstream=True)

    flow = make_flow()
    flow.add_routine(Where(), "where")
    flow.add_routine(Where(), "next")
    flow.connect("where", "out", "next", "input")
    flow.run("where")
    job = flow.execute("where")
    assert JobState.wait_for_completion(flow, job, timeout=10)
    assert threads[0] is threading.current_thread()  # run(): inline, entry
    assert threads[1] is threading.current_thread()  # run(): inline, downstream too
    assert threads[2] is threading.current_thread()  # execute(): the entry, as in 0.10
    assert threads[3] is not threading.current_thread()  # execute(): downstream on the worker
    assert job.status == "completed"


def test_every_routilux_error_is_importable_from_routilux():
    import routilux
    from routilux import errors

    for name in dir(errors):
        value = getattr(errors, name)
        if isinstance(value, type) and issubclass(value, errors.RoutiluxError):
            assert getattr(routilux, name) is value, name


# ------------------------------------------------- changing a flow between runs


class Collector(Routine):
    """Appends what it receives, and the time it was activated idle, to `seen`."""

    def __init__(self, seen, name):
        super().__init__()
        self.seen, self.name = seen, name
        self.define_slot("input", handler=lambda **kw: seen.append((name, kw)))
        self.define_slot("flush", handler=lambda: seen.append((name, "idle")), idle=True)


def test_connections_made_after_a_run_take_effect_in_connection_order(make_flow):
    seen = []
    flow = make_flow()
    flow.add_routine(Emitter(x=1), "emitter")
    flow.add_routine(Collector(seen, "b"), "b")
    flow.connect("emitter", "out", "b", "input")
    assert flow.run("emitter").status == "completed"
    assert seen == [("b", {"x": 1}), ("b", "idle")]
    seen.clear()
    flow.add_routine(Collector(seen, "a"), "a")  # an idle slot and a route, after a run
    flow.connect("emitter", "out", "a", "input", {"x": "renamed"})
    assert flow.run("emitter").status == "completed"
    assert seen[:2] == [("b", {"x": 1}), ("a", {"renamed": 1, "x": 1})]
    assert sorted(seen[2:]) == [("a", "idle"), ("b", "idle")]


def test_idle_slots_run_upstream_first_however_the_flow_was_built(make_flow):
    seen = []
    flow = make_flow()
    # added downstream first, connected afterwards: the order comes from the connections
    for name in ("c", "b", "a"):
        flow.add_routine(Collector(seen, name), name)
    flow.add_routine(Emitter(), "start")
    for source, target in (("a", "b"), ("b", "c")):
        flow.routines[source].define_event("out")
        flow.connect(source, "out", target, "input")
    assert flow.run("start").status == "completed"
    assert seen == [("a", "idle"), ("b", "idle"), ("c", "idle")]


def test_connections_are_hashable_and_their_mapping_is_not_shared_with_the_routes(make_flow):
    seen = []
    flow = make_flow()
    flow.add_routine(Emitter(x=1), "emitter")
    flow.add_routine(Collector(seen, "b"), "b")
    connection = flow.connect("emitter", "out", "b", "input", {"x": "y"})
    again = Connection("emitter", "out", "b", "input", {"x": "y"})
    assert connection == again and hash(connection) == hash(again)
    assert {connection, again} == {connection}
    connection.param_mapping["x"] = "z"  # changes the record, not the wiring
    flow.run("emitter")
    assert seen[0] == ("b", {"y": 1, "x": 1})
