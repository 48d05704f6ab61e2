"""Emitted data is copied once at the emit: no delivery, job or config shares it."""

from __future__ import annotations

import copy

import pytest

from routilux import ErrorHandler, Flow, NotSerializableError, Routine


class Source(Routine):
    """Emits its config's own ``items`` list, and a list it changes after the emit."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("out", ["items", "meta"])

    def send(self, **_: object) -> None:
        mine = ["a"]
        self.emit("out", items=self.get_config("items"), meta={"tags": mine})
        mine.append("changed by the emitter after its emit")


class Appender(Routine):
    """Changes what it received, in place, and remembers what it saw."""

    seen: list[list[object]] = []

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, items: list[object], meta: dict[str, list[str]]) -> None:
        Appender.seen.append(list(items))
        items.append("changed by a receiver")
        meta["tags"].append("b")


def test_no_receiver_sees_what_another_did_to_its_data():
    Appender.seen = []
    flow = Flow(flow_id="isolation")
    flow.add_routine(Source(), "source", config={"items": [1, 2]})
    flow.add_routine(Appender(), "left")
    flow.add_routine(Appender(), "right")
    flow.connect("source", "out", "left", "input")
    flow.connect("source", "out", "right", "input")
    first = flow.run("source")
    second = flow.run("source")
    flow.shutdown()
    assert first.status == second.status == "completed"
    # each sibling slot, in each job, got the data as emitted
    assert Appender.seen == [[1, 2]] * 4
    for job in (first, second):
        (record,) = [r for r in job.execution_history if r.event_name == "out"]
        assert record.data == {"items": [1, 2], "meta": {"tags": ["a"]}}


def test_the_routines_config_and_spec_are_not_changed_by_receivers():
    flow = Flow(flow_id="config")
    source = Source()
    flow.add_routine(source, "source", config={"items": [1]})
    flow.add_routine(Appender(), "sink")
    flow.connect("source", "out", "sink", "input")
    flow.run("source")
    flow.shutdown()
    assert source.get_config("items") == [1]
    assert flow.to_spec()["routines"]["source"]["config"]["items"] == [1]


class BadSource(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("out", ["items"])

    def send(self) -> None:
        self.emit("out", items=[1, {"when": {1, 2}}])


def test_a_payload_that_is_not_json_fails_the_emit_naming_the_path(tmp_path):
    flow = Flow(flow_id="bad", store=f"sqlite:///{tmp_path}/jobs.db")  # saved: JSON only
    flow.add_routine(BadSource(), "source")
    job = flow.run("source")
    flow.shutdown()
    assert job.status == "failed"
    assert "source.out['items'][1]['when']" in job.get_routine_state("source")["error"]


@pytest.mark.parametrize("value", [list(range(1000)), {"k": list(range(10))}, [[1], [2, [3]]]])
def test_freeze_copies_every_container(value):
    from routilux.payload import freeze

    frozen = freeze(value, "v")
    assert frozen == value

    def ids(v):
        if isinstance(v, dict):
            return [id(v), *(i for x in v.values() for i in ids(x))]
        if isinstance(v, list):
            return [id(v), *(i for x in v for i in ids(x))]
        return []

    assert not set(ids(frozen)) & set(ids(value))


def test_freeze_rejects_non_str_keys_and_odd_values():
    from routilux.payload import freeze

    with pytest.raises(NotSerializableError, match=r"v\[0\]: key 1"):
        freeze([{1: "x"}], "v")
    with pytest.raises(NotSerializableError, match=r"v\['b'\]"):
        freeze({"a": 1, "b": b"bytes"}, "v")


class PlainSource(Routine):
    """Emits plain data (scalars only): its deliveries share one dict with the history."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("out", ["n", "name"])

    def send(self, **_: object) -> None:
        self.emit("out", n=1, name="plain")


class DictTaker(Routine):
    """A handler given the delivered dict itself, which it changes in place."""

    seen: list[dict[str, object]] = []

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, data: dict[str, object]) -> None:
        DictTaker.seen.append(dict(data))
        data["n"] = "changed by a receiver"
        data["extra"] = True


def keep_and_change(old: dict[str, object], new: dict[str, object]) -> dict[str, object]:
    """A merge function that changes the delivery it is given."""
    new["n"] = "changed by a merge function"
    return {**old, **new}


class Merger(Routine):
    """A slot with a merge function that changes what is delivered."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=lambda **kw: None, merge_strategy=keep_and_change)


@pytest.mark.parametrize("strategy", ["sequential", "concurrent"])
def test_plain_data_changed_by_a_receiver_reaches_no_other_receiver_nor_the_history(
    make_flow, strategy
):
    """Plain emitted data is not copied per delivery; a handler that gets the dict itself,
    and a merge function, each change their own copy."""
    DictTaker.seen = []
    flow = make_flow(flow_id="plain", execution_strategy=strategy, max_workers=1)
    flow.add_routine(PlainSource(), "source")
    flow.add_routine(Merger(), "merge")
    flow.add_routine(DictTaker(), "left")
    flow.add_routine(DictTaker(), "right")
    for target in ("merge", "left", "right"):
        flow.connect("source", "out", target, "input")
    job = flow.run("source", timeout=30)
    assert job.status == "completed"
    assert DictTaker.seen == [{"n": 1, "name": "plain"}] * 2
    (record,) = [r for r in job.execution_history if r.event_name == "out"]
    assert record.data == {"n": 1, "name": "plain"}


class ChangesThenFails(Routine):
    """Takes the dict itself, changes it (nested too), and fails the first time."""

    attempts: list[dict] = []

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, data: dict) -> None:
        ChangesThenFails.attempts.append(copy.deepcopy(data))
        data["n"] = -1
        data["items"].append("changed")
        if len(ChangesThenFails.attempts) == 1:
            raise RuntimeError("first attempt fails")


class NestedSource(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: self.emit("out", n=1, items=[1]))
        self.define_event("out", ["n", "items"])


def test_a_retry_gets_the_data_as_emitted_whatever_the_failed_attempt_changed(make_flow):
    ChangesThenFails.attempts = []
    flow = make_flow(
        flow_id="retry-data",
        error_handler=ErrorHandler(strategy="retry", retry_delay=0),
        tolerate_downstream_errors=False,  # the flow's handler covers `take` too
    )
    flow.add_routine(NestedSource(), "source")
    flow.add_routine(ChangesThenFails(), "take")
    flow.connect("source", "out", "take", "input")
    job = flow.run("source", timeout=30)
    assert job.status == "completed"
    assert ChangesThenFails.attempts == [{"n": 1, "items": [1]}] * 2
