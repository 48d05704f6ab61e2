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
flow = Flow(flow_id="rp")
s = Src(); p = Printer()
flow.add_routine(s, "src"); flow.add_routine(p, "p")
c = flow.connect("src", "out", "p", "input")
print(repr(flow))
print(repr(s))
print(repr(s.get_slot("trigger")))
print(repr(s.get_event("out")))
print(repr(c))
js = flow.execute("src", entry_params={"items": [1]}); wait(flow, js)
print(repr(js).split(":")[-1])
print(repr(js.execution_history[0]))
print(str(js.execution_history[0]) == repr(js.execution_history[0]))
