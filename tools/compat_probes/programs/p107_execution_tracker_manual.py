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

t = ExecutionTracker(flow_id="m")
t.record_routine_start("a", {"x": 1}); t.record_routine_end("a", "completed", result=5)
t.record_routine_start("a"); t.record_routine_end("a", "failed", error="bad")
t.record_event("a", "out", "b", {"y": 2})
p = t.get_routine_performance("a")
print(p["total_executions"], p["completed"], p["failed"], p["success_rate"])
print(t.get_flow_performance()["total_routines"], t.get_flow_performance()["total_events"])
print(sorted(t.serialize()))
print(t.get_routine_performance("zz"))
