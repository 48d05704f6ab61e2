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

class Bad(Routine):
    def __init__(self, exc):
        super().__init__(); self.exc = exc; self.define_slot("input", handler=self.h); self.define_event("out", ["x"])
    def h(self, x): raise self.exc("bad %s" % x)
for exc in [ValueError, KeyError, TypeError, ZeroDivisionError]:
    f = Flow(flow_id="x"); f.add_routine(Src(), "s"); f.add_routine(Bad(exc), "b"); f.add_routine(Printer(), "p")
    f.connect("s", "out", "b", "input"); f.connect("b", "out", "p", "input")
    js = f.execute("s"); wait(f, js)
    print(exc.__name__, js.status, js.get_routine_state("b"), [(r.event_name, r.data) for r in js.get_execution_history("b")])
