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

f = Flow(flow_id="ss")
print(f.execution_strategy, f.max_workers, f.execution_timeout)
f.set_execution_strategy("concurrent", max_workers=7)
print(f.execution_strategy, f.max_workers)
f.set_execution_strategy("sequential")
print(f.execution_strategy, f.max_workers)
f2 = Flow(execution_strategy="concurrent")
print(f2.max_workers, f2.execution_timeout)
f3 = Flow(flow_id="t", execution_timeout=12.5); print(f3.execution_timeout)
f.set_execution_strategy("concurrent")
print(f.max_workers)
f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
js = f.execute("s", entry_params={"items": [1]}); wait(f, js); print(js.status); f.shutdown()
