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

from routilux.builtin_routines import TextRenderer, ResultExtractor
class T(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("out", ["data"])
    def go(self, data=None, **kw): self.emit("out", data=data)
tr = TextRenderer(); ex = ResultExtractor()
f = Flow(flow_id="rx"); f.add_routine(T(), "t"); f.add_routine(tr, "tr"); f.add_routine(ex, "ex")
f.add_routine(Printer("tr"), "p1"); f.add_routine(Printer("ex"), "p2")
f.connect("t", "out", "tr", "input"); f.connect("tr", "output", "p1", "input")
f.connect("t", "out", "ex", "input"); f.connect("ex", "output", "p2", "input")
js = f.execute("t", entry_params={"data": {"a": 1, "b": [1, 2]}}); wait(f, js); print(js.status)
js = f.execute("t", entry_params={"data": '```json\n{"k": 2}\n```'}); wait(f, js); print(js.status)
