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

class B(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.h)
    def h(self, **kw): raise KeyError("kk")
f = Flow(flow_id="ef"); f.add_routine(B(), "b")
js = f.execute("b")
st = js.get_routine_state("b")
print(js.status, st["status"], st["error"], sorted(k for k in st if k not in ("traceback", "error_time")))
rec = [r for r in js.execution_history if r.event_name == "error"][0]
print(rec.data["error"], rec.data["error_type"])
