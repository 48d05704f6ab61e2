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

class D(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("later", ["v"])
    def go(self, **kw):
        self.emit_deferred_event("later", v=7)
        print("deferred registered")
f = Flow(flow_id="d"); f.add_routine(D(), "d"); f.add_routine(Printer(), "p"); f.connect("d", "later", "p", "input")
js = f.execute("d"); wait(f, js)
print(js.status, js.deferred_events)
