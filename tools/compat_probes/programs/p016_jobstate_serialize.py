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

f = Flow(flow_id="js"); f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
js = f.execute("s"); wait(f, js)
js.update_shared_data("k", [1, 2]); js.metadata["m"] = 1
d = js.serialize()
print(sorted(d))
print(d["status"], d["flow_id"], d["routine_states"], d["shared_data"])
j2 = JobState(); j2.deserialize(d)
print(j2.status, j2.flow_id, j2.job_id == js.job_id, j2.get_routine_state("s"), len(j2.execution_history), j2.shared_data, j2.metadata)
print(type(j2.execution_history[0]).__name__)
