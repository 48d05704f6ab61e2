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

class Two(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("a", ["v"]); self.define_event("b", ["w"])
    def go(self, **kw): self.emit("a", v=1); self.emit("b", w=2)
class Join(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.go, merge_strategy="append")
    def go(self, **kw): print("join", kw)
f = Flow(flow_id="j"); f.add_routine(Two(), "t"); f.add_routine(Join(), "j")
f.connect("t", "a", "j", "input"); f.connect("t", "b", "j", "input")
js = f.execute("t"); wait(f, js); print(js.status)
