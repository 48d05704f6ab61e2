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

f = Flow()
print(type(f.flow_id).__name__, len(f.flow_id), f.execution_strategy, f.max_workers, f.error_handler)
f2 = Flow(flow_id="a", execution_strategy="concurrent")
print(f2.max_workers, f2.execution_timeout)
s = Src(); rid = f2.add_routine(s, "s"); print(rid, list(f2.routines), f2.routines["s"] is s)
rid2 = f2.add_routine(Printer()); print(rid2 == Printer().__class__.__name__, len(f2.routines))
c = f2.connect("s", "out", rid2, "input"); print(type(c).__name__, len(f2.connections))
print(c.param_mapping, c.source_event.name, c.target_slot.name)
