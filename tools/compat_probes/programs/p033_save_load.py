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

import tempfile, os
f = Flow(flow_id="sl"); f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
js = f.execute("s"); wait(f, js)
path = os.path.join(tempfile.mkdtemp(), "job.json")
js.save(path)
j2 = JobState.load(path)
print(j2.status, j2.flow_id, j2.job_id == js.job_id, len(j2.execution_history), j2.routine_states)
