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

f = Flow(flow_id="rep"); s = Src(); f.add_routine(s, "s")
print(repr(f), str(f))
print(repr(s).split("[")[0], repr(s.get_slot("trigger")).split("[")[0] if "[" in repr(s.get_slot("trigger")) else repr(s.get_slot("trigger"))[:20])
print(repr(s.get_event("out"))[:25])
print(repr(JobState("x")).split("[")[0][:20])
