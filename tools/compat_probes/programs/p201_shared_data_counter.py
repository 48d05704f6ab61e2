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

class Count(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.go)
    def go(self, x=None, **kw):
        ctx = self.get_execution_context()
        n = ctx.job_state.get_shared_data("n", 0)
        ctx.job_state.update_shared_data("n", n + x)
        ctx.job_state.append_to_shared_log({"x": x})
f = Flow(flow_id="cnt"); f.add_routine(Src(), "s"); f.add_routine(Count(), "c"); f.connect("s", "out", "c", "input")
js = f.execute("s", entry_params={"items": [1, 2, 3, 4]}); wait(f, js)
print(js.status, js.shared_data, js.get_shared_data("n"), js.get_shared_log())
