"""A slot's own merge buffer (object-level wiring) and how a routine's saved form
restores it, through the public methods `routilux.routine_data` uses."""

from __future__ import annotations

import json

import routilux
from routilux import Routine
from routilux.event import Event
from routilux.slot import Slot


class Gather(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict] = []
        self.inp = self.define_slot("inp", handler=self.take, merge_strategy="append")

    def take(self, **data: object) -> None:
        self.seen.append(data)


def test_the_old_import_paths_name_the_same_classes():
    from routilux.routine import Event as RoutineEvent
    from routilux.routine import Slot as RoutineSlot

    assert RoutineSlot is Slot is routilux.Slot
    assert RoutineEvent is Event is routilux.Event


def test_own_buffer_is_a_copy_and_restore_buffer_replaces_it():
    gather = Gather()
    gather.inp.receive({"a": 1})
    buffer = gather.inp.own_buffer()
    assert buffer == {"a": [1]}
    buffer["a"].append(99)  # the caller's copy, not the slot's buffer
    assert gather.inp.own_buffer() == {"a": [1]}

    saved = {"a": [7], "b": ["x"]}
    gather.inp.restore_buffer(saved)
    saved["a"].append(8)  # restored as a copy too
    gather.inp.receive({"a": 2})
    assert gather.seen[-1] == {"a": [7, 2]}
    assert gather.inp.own_buffer() == {"a": [7, 2], "b": ["x"]}


def test_deserialize_replaces_id_and_whole_config_and_restores_the_buffer():
    gather = Gather()
    gather.set_config(limit=3)
    gather.inp.receive({"a": 1})
    data = json.loads(json.dumps(gather.serialize()))

    other = Gather()
    other.set_config(stale=True)
    assert other.deserialize(data) is other
    assert other.default_id == gather.default_id
    assert other.config() == {"limit": 3}  # replaced, not merged into
    assert other.inp.own_buffer() == {"a": [1]}


def test_load_saved_keeps_what_it_is_not_given():
    gather = Gather()
    gather.set_config(limit=3)
    before = gather.default_id
    gather.load_saved(config={"limit": 4})
    assert (gather.default_id, gather.config()) == (before, {"limit": 4})
    gather.load_saved(routine_id="renamed")
    assert (gather.default_id, gather.config()) == ("renamed", {"limit": 4})


def test_a_kwargs_handler_is_called_with_the_delivered_keys(make_flow):
    """The engine calls a ``**kwargs`` handler itself (Slot.kwargs_handler), as `call` would."""
    from routilux import Routine

    seen: list[dict[str, object]] = []

    class Both(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("trigger", handler=self.go)
            self.define_event("out", ["a", "b"])
            self.define_slot("input", handler=self.take)

        def go(self, **kw: object) -> None:
            self.emit("out", a=1, b="two")

        def take(self, a: int = 0, **rest: object) -> None:
            seen.append({"a": a, **rest})

    flow = make_flow(flow_id="kwargs")
    flow.add_routine(Both(), "r")
    flow.connect("r", "out", "r", "input")
    assert flow.run("r", timeout=30).status == "completed"
    assert seen == [{"a": 1, "b": "two"}]
    slot = Both().get_slot("input")
    assert slot.kwargs_handler is not None and not slot.passes_dict
    assert Both().get_slot("trigger").kwargs_handler is not None
