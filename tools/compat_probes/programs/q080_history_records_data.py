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

class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, **kw):
        self.emit("out", x=1, y={"n": [1, 2]})
        self.emit("out")
f = Flow(flow_id="hr"); f.add_routine(A(), "a"); f.add_routine(Printer(), "p"); f.connect("a", "out", "p", "input")
js = f.execute("a", entry_params={"k": "v", "n": 3}); wait(f, js)
for r in js.execution_history:
    print(r.routine_id, r.event_name, r.data, type(r.timestamp).__name__)
print([r.serialize()["event_name"] for r in js.execution_history], sorted(js.execution_history[0].serialize()))
rec = ExecutionRecord("r", "e", {"a": 1}); print(rec.routine_id, rec.event_name, rec.data, type(rec.timestamp).__name__)
rec2 = ExecutionRecord(); print(repr(rec2.routine_id), rec2.data)
