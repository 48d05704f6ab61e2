"""What a handler receives through a connection with a `param_mapping`, as in 0.10.

A 0.10 program whose handler prints its keyword arguments sees the new names first
and then every key the event carried, the mapped ones still under their old names,
unless a new name took a key's place.
"""

from routilux import Connection, Flow, Routine


class Emit(Routine):
    def __init__(self, **data: object) -> None:
        super().__init__()
        self.data = data
        self.define_slot("trigger", handler=lambda: self.emit("out", **self.data))
        self.define_event("out", list(data))


class Seen(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict[str, object]] = []
        self.inp = self.define_slot("input", handler=lambda **kw: self.seen.append(kw))


def deliver(mapping: dict[str, str], **data: object) -> dict[str, object]:
    flow = Flow(flow_id="mapping")
    seen = Seen()
    flow.add_routine(Emit(**data), "emit")
    flow.add_routine(seen, "seen")
    flow.connect("emit", "out", "seen", "input", param_mapping=mapping)
    assert flow.run("emit", timeout=30).status == "completed"
    (got,) = seen.seen
    return got


def test_the_new_name_comes_first_and_the_old_one_is_kept():
    got = deliver({"x": "value"}, x=5, z=6)
    assert list(got.items()) == [("value", 5), ("x", 5), ("z", 6)]


def test_a_new_name_wins_over_an_event_key_of_that_name():
    got = deliver({"a": "b"}, a=1, b=2)
    assert got == {"b": 1, "a": 1}


def test_a_mapping_for_a_key_the_event_lacks_adds_nothing():
    assert deliver({"missing": "m"}, x=1) == {"x": 1}


def test_a_connection_activated_by_hand_delivers_the_same():
    target = Seen()
    Connection(Emit(x=1).get_event("out"), target.inp, {"x": "y"}).activate({"x": 3, "w": 4})
    assert list(target.seen[0].items()) == [("y", 3), ("x", 3), ("w", 4)]
