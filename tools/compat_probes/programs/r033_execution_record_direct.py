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
from datetime import datetime
r = ExecutionRecord("proc", "output", {"a": 1})
print(r.routine_id, r.event_name, r.data, type(r.timestamp).__name__)
print(repr(r))
s = r.serialize()
print(sorted(s.keys()), s["routine_id"], s["event_name"], s["data"], type(s["timestamp"]).__name__)
r2 = ExecutionRecord()
r2.deserialize(s)
print(r2.routine_id, r2.event_name, r2.data, type(r2.timestamp).__name__, r2.timestamp == r.timestamp)
r3 = ExecutionRecord("x", "y", {}, datetime(2020, 1, 2, 3, 4, 5))
print(r3.timestamp.year, r3.serialize()["timestamp"][:4])
print(ExecutionRecord("a", "b").data)
