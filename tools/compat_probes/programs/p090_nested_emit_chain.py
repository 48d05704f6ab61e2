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

class Step(Routine):
    def __init__(self, name):
        super().__init__(); self.name = name
        self.define_slot("input", handler=self.h); self.define_event("out", ["v"])
    def h(self, v):
        print(self.name, v); self.emit("out", v=v + [self.name])
class Start(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=lambda **kw: self.emit("out", v=[])); self.define_event("out", ["v"])
f = Flow(flow_id="ch"); f.add_routine(Start(), "st")
prev = "st"
for n in ["a", "b", "c"]:
    f.add_routine(Step(n), n); f.connect(prev, "out", n, "input"); prev = n
f.add_routine(Printer("end"), "end"); f.connect("c", "out", "end", "input")
js = f.execute("st"); wait(f, js); print(js.status, [r.routine_id for r in js.execution_history])
