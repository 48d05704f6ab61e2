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

s = Src(); s.set_config(a=1, b=None)
d = s.serialize()
print(sorted(d))
print(d.get("_config"), sorted(d.get("_slots", {})), sorted(d.get("_events", {})))
s2 = Src(); s2.deserialize(d); print(s2.get_config("a"), s2.get_config("b", "x"))
p = Printer(); p.set_error_handler(ErrorHandler(strategy="retry", max_retries=5, is_critical=True))
d2 = p.serialize(); eh = d2.get("_error_handler"); print(eh and sorted(eh))
