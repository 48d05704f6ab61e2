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

f = Flow(flow_id="c"); f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
js = f.execute("s"); wait(f, js)
try:
    f.cancel(js, reason="stop")
    print("cancelled", js.status)
except Exception as e:
    print("cancel error", type(e).__name__)
js = JobState(flow_id="c"); js.status = "running"
f.cancel(js, reason="r"); print(js.status)
