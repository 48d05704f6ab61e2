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

n = {"c": 0}
class Flaky(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.go)
    def go(self, x=None, **kw):
        n["c"] += 1
        if n["c"] < 3: raise RuntimeError("flaky")
        print("ok at", n["c"])
fl = Flaky(); fl.set_error_handler(ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=3, retry_delay=0.01))
f = Flow(flow_id="r"); f.add_routine(Src(), "s"); f.add_routine(fl, "f"); f.connect("s", "out", "f", "input")
js = f.execute("s", entry_params={"items": [1]}); wait(f, js); print(js.status, js.get_routine_state("f"))
