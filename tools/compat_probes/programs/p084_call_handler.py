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

seen = []
r = Routine(); slot = r.define_slot("in", handler=lambda **kw: seen.append(kw))
slot.call_handler({"a": 1})
try:
    slot.call_handler({"b": 2}, propagate_exceptions=True)
except Exception as e:
    print(type(e).__name__)
print(seen)
b = Routine(); bs = b.define_slot("in", handler=lambda **kw: 1 / 0)
bs.call_handler({"a": 1})
print("swallowed")
try:
    bs.call_handler({"a": 1}, propagate_exceptions=True)
except ZeroDivisionError:
    print("propagated")
