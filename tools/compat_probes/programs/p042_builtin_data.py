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

dt = DataTransformer(); dt.set_config(transformations=["uppercase"])
fl = DataFlattener()
class T(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("out", ["data"])
    def go(self, data=None, **kw): self.emit("out", data=data)
f = Flow(flow_id="bd")
f.add_routine(T(), "t"); f.add_routine(dt, "dt"); f.add_routine(fl, "fl")
f.add_routine(Printer("dt"), "p1"); f.add_routine(Printer("fl"), "p2")
f.connect("t", "out", "dt", "input"); f.connect("dt", "output", "p1", "input")
f.connect("t", "out", "fl", "input"); f.connect("fl", "output", "p2", "input")
js = f.execute("t", entry_params={"data": "abc"}); wait(f, js); print(js.status)
js = f.execute("t", entry_params={"data": {"a": {"b": 1, "c": [1, 2]}}}); wait(f, js); print(js.status)
