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

out = []
r = Routine()
r.define_slot("trigger", handler=lambda x=0: r.emit("ev", y=x * 2))
r.define_event("ev", ["y"])
s = Routine(); s.define_slot("in", handler=lambda y: out.append(y))
f = Flow(flow_id="lam"); f.add_routine(r, "r"); f.add_routine(s, "s"); f.connect("r", "ev", "s", "in")
js = f.execute("r", entry_params={"x": 4}); wait(f, js); print(js.status, out)
