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

class Work(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        ctx = self.get_execution_context()
        ctx.job_state.append_to_shared_log({"x": x})
f = Flow(flow_id="eo")
f.add_routine(Src(), "s"); f.add_routine(Work(), "w"); f.connect("s", "out", "w", "input")
js = f.execute("s", entry_params={"items": [1, 2, 3]}, execution_strategy="concurrent"); wait(f, js)
print(js.status, sorted(e["x"] for e in js.shared_log), f.execution_strategy, f.max_workers)
js = f.execute("s", entry_params={"items": [4]}, timeout=5.0); wait(f, js)
print(js.status, [e["x"] for e in js.shared_log])
f.shutdown()
