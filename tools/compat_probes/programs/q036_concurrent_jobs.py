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

import threading
class Slow(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        time.sleep(0.05)
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("r_%d" % x, x * x)
f = Flow(flow_id="cc", execution_strategy="concurrent", max_workers=4)
f.add_routine(Src(), "s"); f.add_routine(Slow(), "w"); f.connect("s", "out", "w", "input")
jobs = [f.execute("s", entry_params={"items": [i, i + 10]}) for i in range(3)]
for js in jobs:
    print(wait(f, js), js.status, sorted(js.shared_data.items()))
print(len({j.job_id for j in jobs}), f.max_workers, f.execution_strategy)
f.shutdown(wait=True)
