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

f = Flow(flow_id="h"); f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
js = f.execute("s"); wait(f, js)
print(len(js.execution_history), len(js.get_execution_history("s")), len(js.get_execution_history("p")), len(js.get_execution_history()))
r = js.execution_history[0]
print(r.routine_id, r.event_name, r.data, type(r.timestamp).__name__)
d = r.serialize(); print(sorted(d))
r2 = ExecutionRecord(); r2.deserialize(d); print(r2.routine_id, r2.event_name, r2.data)
js.record_execution("p", "custom", {"k": 1})
print(js.execution_history[-1].event_name, js.execution_history[-1].data)
print(str(r)[:40] if str(r).startswith("ExecutionRecord") else "other", repr(r)[:20])
