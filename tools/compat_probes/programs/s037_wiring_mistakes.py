"""Typical wiring mistakes and the errors they raise."""
from routilux import Flow, Routine


class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: None)
        self.define_event("out", ["x"])


class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("in", handler=lambda **kw: None)


flow = Flow(flow_id="mistakes")
flow.add_routine(A(), "a")
flow.add_routine(B(), "b")

attempts = [
    ("duplicate id", lambda: flow.add_routine(B(), "b")),
    ("unknown source", lambda: flow.connect("nope", "out", "b", "in")),
    ("unknown event", lambda: flow.connect("a", "output", "b", "in")),
    ("unknown target", lambda: flow.connect("a", "out", "c", "in")),
    ("unknown slot", lambda: flow.connect("a", "out", "b", "input")),
    ("unknown entry", lambda: flow.execute("zzz")),
]
for label, action in attempts:
    try:
        action()
        print(label, "-> no error")
    except Exception as e:
        print(f"{label} -> {type(e).__name__}: {e}")
print("connections:", len(flow.connections))
flow.shutdown()
