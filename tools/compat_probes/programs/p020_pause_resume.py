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
gate = threading.Event()
class Slow(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.go)
    def go(self, x):
        print("slow got", x)
f = Flow(flow_id="pr")
f.add_routine(Src(), "s"); f.add_routine(Slow(), "w"); f.connect("s", "out", "w", "input")
js = f.execute("s", entry_params={"items": [1]})
wait(f, js)
print(js.status)
try:
    f.pause(js, reason="manual")
    print("paused", js.status)
except Exception as e:
    print("pause error", type(e).__name__)
try:
    js2 = f.resume(js)
    print("resumed", js2.status if js2 is not None else None)
except Exception as e:
    print("resume error", type(e).__name__, isinstance(e, ValueError))
