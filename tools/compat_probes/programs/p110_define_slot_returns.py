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

r = Routine()
s = r.define_slot("in", handler=None, merge_strategy="append")
e = r.define_event("out", ["a", "b"])
print(type(s).__name__, type(e).__name__, s.name, e.name, e.output_params, s.merge_strategy)
try:
    r.define_slot("in"); print("dup ok")
except Exception as ex:
    print(type(ex).__name__, isinstance(ex, ValueError))
try:
    r.define_event("out"); print("dup ev ok")
except Exception as ex:
    print(type(ex).__name__, isinstance(ex, ValueError))
