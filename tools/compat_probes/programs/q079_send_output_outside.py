from routilux import *
from routilux.job_state import JobState
import json, time

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)
    def show(self, **kw):
        print("got", sorted(kw.items()))

def wait(flow, js, t=10):
    return JobState.wait_for_completion(flow, js, timeout=t)

r = Src()
try:
    r.send_output("x", a=1)
    print("no error")
except Exception as e:
    print("err", type(e).__name__)
try:
    r.emit_deferred_event("out", x=1)
    print("no error deferred")
except Exception as e:
    print("err", type(e).__name__)
js = JobState("f")
js.add_deferred_event("r", "out", {"x": 1})
print([{k: v for k, v in d.items() if k != "timestamp"} for d in js.deferred_events])
