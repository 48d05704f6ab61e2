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

class Acc(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h, merge_strategy="append")
    def h(self, x):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("seen", list(x))
f = Flow(flow_id="iso", execution_strategy="concurrent", max_workers=4)
f.add_routine(Src(), "s"); f.add_routine(Acc(), "a"); f.connect("s", "out", "a", "input")
jobs = [f.execute("s", entry_params={"items": [i, i + 100]}) for i in range(5)]
for j in jobs: wait(f, j)
print([sorted(j.get_shared_data("seen")) for j in jobs])
f.shutdown()
