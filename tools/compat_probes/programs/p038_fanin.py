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
    def __init__(self, name):
        super().__init__(); self.name = name
        self.define_slot("trigger", handler=self.go); self.define_event("out", ["x"])
    def go(self, **kw): self.emit("out", x=self.name)
class Join(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h, merge_strategy="append")
    def h(self, x): print("join", x)
class Start(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("a", []); self.define_event("b", [])
    def go(self, **kw): self.emit("a"); self.emit("b")
f = Flow(flow_id="fi")
f.add_routine(Start(), "st"); f.add_routine(Two("A"), "a"); f.add_routine(Two("B"), "b"); f.add_routine(Join(), "j")
f.connect("st", "a", "a", "trigger"); f.connect("st", "b", "b", "trigger")
f.connect("a", "out", "j", "input"); f.connect("b", "out", "j", "input")
js = f.execute("st"); wait(f, js); print(js.status)
