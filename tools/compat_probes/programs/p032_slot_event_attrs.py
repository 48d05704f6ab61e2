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

s = Src(); p = Printer()
print(s.get_slot("trigger").name, s.get_event("out").name, s.get_event("out").output_params, s.get_slot("nope"), s.get_event("nope"))
print(s.trigger_slot.routine is s, s.output_event.routine is s)
print(p.input_slot.merge_strategy, callable(p.input_slot.handler))
print(sorted(s._slots), sorted(s._events))
