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

v = DataValidator(); v.set_config(rules={"age": "is_int"}, required_fields=["name"])
r = ConditionalRouter(); r.set_config(routes=[("adult", "data.get('age', 0) >= 18"), ("minor", "data.get('age', 0) < 18")])
class T(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("out", ["data"])
    def go(self, data=None, **kw): self.emit("out", data=data)
f = Flow(flow_id="vr")
f.add_routine(T(), "t"); f.add_routine(v, "v"); f.add_routine(r, "r")
for n in ["valid", "invalid"]: f.add_routine(Printer(n), n)
for n in ["adult", "minor"]: f.add_routine(Printer(n), n)
f.connect("t", "out", "v", "input"); f.connect("v", "valid", "valid", "input"); f.connect("v", "invalid", "invalid", "input")
f.connect("t", "out", "r", "input"); f.connect("r", "adult", "adult", "input"); f.connect("r", "minor", "minor", "input")
for d in [{"name": "a", "age": 20}, {"age": 5}, {"name": "b", "age": "x"}]:
    js = f.execute("t", entry_params={"data": d}); wait(f, js); print(js.status)
