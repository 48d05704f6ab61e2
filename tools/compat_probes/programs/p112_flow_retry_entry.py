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

class Flaky(Routine):
    n = 0
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.h); self.define_event("out", ["x"])
    def h(self, **kw):
        Flaky.n += 1
        if Flaky.n < 2: raise ValueError("first")
        self.emit("out", x=Flaky.n)
f = Flow(flow_id="fr"); f.add_routine(Flaky(), "fl"); f.add_routine(Printer(), "p"); f.connect("fl", "out", "p", "input")
f.set_error_handler(ErrorHandler(strategy="retry", max_retries=3, retry_delay=0.01, retryable_exceptions=[ValueError]))
js = f.execute("fl"); wait(f, js)
print(js.status, js.get_routine_state("fl")["status"], f.error_handler.retry_count)
