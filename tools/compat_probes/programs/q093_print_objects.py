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

f = Flow(flow_id="po")
f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
print(js)
print(f)
print(f.routines)
print(js.execution_history)
print(js.routine_states)
print(js.get_execution_history("p"))
print(f.routines["s"].get_slot("trigger"), f.routines["s"].get_event("out"))
print(f.connections[0])
print(js.created_at <= js.updated_at, js.job_id in repr(js))
