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

from routilux.builtin_routines import DataValidator
class T(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("out", ["data"])
    def go(self, data=None, **kw): self.emit("out", data=data)
v = DataValidator(); v.set_config(rules={"name": "not_empty", "age": "is_int"}, required_fields=["name"])
f = Flow(flow_id="val"); f.add_routine(T(), "t"); f.add_routine(v, "v")
f.add_routine(Printer("ok"), "ok"); f.add_routine(Printer("bad"), "bad")
f.connect("t", "out", "v", "input"); f.connect("v", "valid", "ok", "input"); f.connect("v", "invalid", "bad", "input")
for d in [{"name": "a", "age": 3}, {"age": "x"}]:
    js = f.execute("t", entry_params={"data": d}); wait(f, js); print(js.status)
