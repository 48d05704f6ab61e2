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

class Mid(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h); self.define_event("out", ["x"])
    def h(self, x):
        if x == 2: raise ValueError("two")
        self.emit("out", x=x * 10)
f = Flow(flow_id="mc"); f.add_routine(Src(), "s"); f.add_routine(Mid(), "m"); f.add_routine(Printer("end"), "e")
f.connect("s", "out", "m", "input"); f.connect("m", "out", "e", "input")
js = f.execute("s", entry_params={"items": [1, 2, 3]}); wait(f, js)
print(js.status, js.routine_states)
errs = js.get_execution_history("m")
print([(r.event_name, r.data) for r in errs])
failed = [rid for rid, st in js.routine_states.items() if st.get("status") == "failed"]
print("failed:", failed)
