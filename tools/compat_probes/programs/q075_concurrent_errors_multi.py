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
        time.sleep(0.02)
        if x % 3 == 0:
            raise ValueError("bad %d" % x)
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data(str(x), x)
f = Flow(flow_id="ce", execution_strategy="concurrent", max_workers=3)
w = Work(); w.set_error_handler(ErrorHandler(strategy="continue"))
f.add_routine(Src(), "s"); f.add_routine(w, "w"); f.connect("s", "out", "w", "input")
jobs = [f.execute("s", entry_params={"items": list(range(k, k + 4))}) for k in (1, 10)]
for js in jobs:
    wait(f, js)
    print(js.status, sorted(js.shared_data), sorted(r.data.get("error", "") for r in js.execution_history if r.event_name == "error"))
f.shutdown()
