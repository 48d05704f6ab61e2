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

import tempfile, os
def build():
    f = Flow(flow_id="psr")
    f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
    return f
f = build()
js = f.execute("s", entry_params={"items": [1, 2]}); wait(f, js)
f.pause(js, reason="save me")
path = os.path.join(tempfile.mkdtemp(), "js.json")
js.save(path)
loaded = JobState.load(path)
print(type(loaded).__name__, loaded.status, loaded.flow_id, loaded.job_id == js.job_id)
print(loaded.routine_states, [(r.routine_id, r.event_name, r.data) for r in loaded.execution_history])
print(type(loaded.created_at).__name__, type(loaded.execution_history[0].timestamp).__name__)
f2 = build()
js3 = f2.resume(loaded)
wait(f2, js3)
print(js3.status, len(js3.execution_history))
