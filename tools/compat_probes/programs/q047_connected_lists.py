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

f = Flow(flow_id="cl")
s = Src(); p1 = Printer(); p2 = Printer()
f.add_routine(s, "s"); f.add_routine(p1, "p1"); f.add_routine(p2, "p2")
f.connect("s", "out", "p1", "input"); f.connect("s", "out", "p2", "input")
ev = s.get_event("out")
print(len(ev.connected_slots), [sl.routine is p1 for sl in ev.connected_slots])
print(len(p1.input_slot.connected_events), p1.input_slot.connected_events[0] is ev)
print(len(f.connections), [(c.source_event is ev, c.target_slot.name) for c in f.connections])
