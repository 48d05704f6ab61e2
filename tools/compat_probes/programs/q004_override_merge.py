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

class Two(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.define_event("a", ["v"]); self.define_event("b", ["w"])
    def go(self, **kw):
        self.emit("a", v=1, extra="e"); self.emit("b", w=2)
class Agg(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, v=None, w=None, extra=None):
        print("agg", v, w, extra)
f = Flow(flow_id="ov")
f.add_routine(Two(), "t"); f.add_routine(Agg(), "g")
f.connect("t", "a", "g", "input"); f.connect("t", "b", "g", "input")
js = f.execute("t"); wait(f, js)
print(js.status, f.routines["g"].input_slot._data, f.routines["g"].input_slot.merge_strategy)
