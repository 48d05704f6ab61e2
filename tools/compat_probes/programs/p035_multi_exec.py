from routilux import *
from routilux.job_state import JobState
import time, json

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self, label="p", **slot_kw):
        super().__init__()
        self.label = label
        self.input_slot = self.define_slot("input", handler=self.show, **slot_kw)
    def show(self, **kw):
        print(self.label, kw)

def wait(flow, js):
    ok = JobState.wait_for_completion(flow, js, timeout=10)
    return ok

f = Flow(flow_id="m"); f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
jobs = [f.execute("s", entry_params={"items": [i]}) for i in range(3)]
for j in jobs: wait(f, j)
print([j.status for j in jobs], len({j.job_id for j in jobs}), [len(j.execution_history) - 0 for j in jobs])
