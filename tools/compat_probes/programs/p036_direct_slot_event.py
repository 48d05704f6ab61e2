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

s = Src(); p = Printer("direct", merge_strategy="append")
s.output_event.connect(p.input_slot)
s.output_event.emit(x=1)
s.emit("out", x=2)
p.input_slot.receive({"x": 3})
s.output_event.disconnect(p.input_slot)
s.emit("out", x=4) if False else None
print(len(s.output_event.connected_slots), len(p.input_slot.connected_events))
