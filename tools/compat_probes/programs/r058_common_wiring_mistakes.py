from routilux import *
from routilux.job_state import JobState
import json, time

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)
    def show(self, **kw):
        print("got", sorted(kw.items()))

def wait(flow, js, t=10):
    return JobState.wait_for_completion(flow, js, timeout=t)
flow = Flow(flow_id="mist")
flow.add_routine(Src(), "src"); flow.add_routine(Printer(), "p")
cases = [
    ("unknown source", lambda: flow.connect("nope", "out", "p", "input")),
    ("unknown target", lambda: flow.connect("src", "out", "nope", "input")),
    ("unknown event", lambda: flow.connect("src", "output", "p", "input")),
    ("unknown slot", lambda: flow.connect("src", "out", "p", "in")),
    ("execute unknown", lambda: flow.execute("ghost")),
]
for label, call in cases:
    try:
        call()
        print(label, "no error")
    except ValueError as e:
        print(label, "ValueError:", e)
    except Exception as e:
        print(label, type(e).__name__, e)
print(len(flow.connections))
