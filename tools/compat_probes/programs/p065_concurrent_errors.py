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

class Bad(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, x):
        if x == 3: raise ValueError("three")
        print("ok", x)
f = Flow(flow_id="ce", execution_strategy="concurrent", max_workers=3)
f.add_routine(Src(), "s"); f.add_routine(Bad(), "b"); f.connect("s", "out", "b", "input")
js = f.execute("s", entry_params={"items": [3]}); wait(f, js)
print(js.status, js.get_routine_state("b"), sorted(r.event_name for r in js.execution_history))
f.shutdown()
