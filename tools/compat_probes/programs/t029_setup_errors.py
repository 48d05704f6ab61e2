"""Mistakes while building a flow raise ValueError with a message."""
from routilux import Flow, Routine


class R(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: None)
        self.define_event("out")


flow = Flow(flow_id="mistakes")
flow.add_routine(R(), "a")
flow.add_routine(R(), "b")

attempts = [
    lambda: flow.add_routine(R(), "a"),
    lambda: flow.connect("a", "nope", "b", "trigger"),
    lambda: flow.connect("a", "out", "b", "nope"),
    lambda: flow.connect("zzz", "out", "b", "trigger"),
    lambda: flow.connect("a", "out", "zzz", "trigger"),
    lambda: R().define_slot("trigger"),
    lambda: R().define_event("out"),
    lambda: R().emit("missing"),
]
for attempt in attempts:
    try:
        attempt()
        print("no error")
    except ValueError as exc:
        print("ValueError:", exc)
