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
lock = threading.Lock(); seen = []
class Col(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.go)
    def go(self, x):
        with lock: seen.append(x)
f = Flow(flow_id="cc", execution_strategy="concurrent", max_workers=4)
f.add_routine(Src(), "s"); f.add_routine(Col(), "c"); f.connect("s", "out", "c", "input")
js = f.execute("s", entry_params={"items": list(range(20))})
print(wait(f, js), js.status, sorted(seen))
print(f.max_workers, f.execution_strategy)
f.set_execution_strategy("sequential"); print(f.execution_strategy, f.max_workers)
f.shutdown()
