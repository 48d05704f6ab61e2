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
class BadRoutine(Routine):
    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.input_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["who"])
    def go(self, **kw):
        self.emit("out", who=self.name)

flow = Flow(flow_id="bad")
flow.add_routine(BadRoutine("alice"), "b")
flow.add_routine(Printer(), "p")
flow.connect("b", "out", "p", "input")
js = flow.execute("b"); wait(flow, js)
print(js.status)
try:
    data = flow.serialize()
    print(sorted(data["routines"]))
except Exception as e:
    print("serialize failed:", type(e).__name__)
