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

def merge(old, new):
    out = dict(old)
    for k, v in new.items():
        out[k] = out.get(k, 0) + v
    return out
class Agg(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h, merge_strategy=merge)
    def h(self, **kw):
        print("sum so far", kw)
f = Flow(flow_id="cm")
f.add_routine(Src(), "s"); f.add_routine(Agg(), "g")
f.connect("s", "out", "g", "input")
js = f.execute("s", entry_params={"items": [1, 2, 3, 4]}); wait(f, js)
print(js.status, f.routines["g"].input_slot._data)
js2 = f.execute("s", entry_params={"items": [10]}); wait(f, js2)
print(js2.status)
