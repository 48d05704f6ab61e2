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

f = Flow(flow_id="ids")
a = Src()
rid = f.add_routine(a)
print(rid == a._id, rid.startswith("0x"))
rid2 = f.add_routine(Printer(), "p")
print(rid2, sorted(f.routines) == sorted([rid, "p"]))
try:
    f.add_routine(Printer(), "p")
    print("dup ok", len(f.routines))
except ValueError as e:
    print("dup VE")
try:
    f.connect("p", "nope", rid, "trigger")
except ValueError as e:
    print("VE connect")
try:
    f.connect("zzz", "out", "p", "input")
except ValueError as e:
    print("VE connect2")
c = f.connect(rid, "out", "p", "input")
print(c.source_event.name, c.target_slot.name, c.param_mapping)
print(Flow().flow_id != Flow().flow_id, len(Flow().flow_id))
