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

f = Flow(flow_id="dc")
f.add_routine(Src(), "s"); f.add_routine(Printer(), "p1"); f.add_routine(Printer(), "p2")
c1 = f.connect("s", "out", "p1", "input"); c2 = f.connect("s", "out", "p2", "input")
js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
c1.disconnect()
print(len(f.connections))
js = f.execute("s", entry_params={"items": [2]}); wait(f, js)
print(js.status, [(r.routine_id, r.event_name) for r in js.execution_history])
