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

import threading
ev = threading.Event()
class Slow(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h); self.define_event("out", ["x"])
    def h(self, x):
        ev.wait(5); self.emit("out", x=x)
f = Flow(flow_id="cr"); f.add_routine(Src(), "s"); f.add_routine(Slow(), "w"); f.add_routine(Printer("after"), "p")
f.connect("s", "out", "w", "input"); f.connect("w", "out", "p", "input")
js = f.execute("s", entry_params={"items": [1]})
f.cancel(js, reason="enough")
print(js.status)
ev.set()
JobState.wait_for_completion(f, js, timeout=3)
print(js.status)
