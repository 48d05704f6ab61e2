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

a = Src(); p = Printer()
ev = a.get_event("out")
ev.connect(p.input_slot)
print(len(ev.connected_slots), len(p.input_slot.connected_events))
a.emit("out", x=1)
ev.emit(x=2)
p.input_slot.receive({"x": 3})
ev.disconnect(p.input_slot)
a.emit("out", x=4)
print(len(ev.connected_slots), len(p.input_slot.connected_events))
try:
    a.emit("nope", x=1)
except ValueError as e:
    print("VE", e)
