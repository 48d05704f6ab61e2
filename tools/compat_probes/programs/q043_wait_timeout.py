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

class Slow(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        time.sleep(1.0)
f = Flow(flow_id="wt")
f.add_routine(Src(), "s"); f.add_routine(Slow(), "w"); f.connect("s", "out", "w", "input")
js = f.execute("s", entry_params={"items": [1]})
t0 = time.time()
r = JobState.wait_for_completion(f, js, timeout=0.3)
print(r, round(time.time() - t0, 0), js.status)
r = JobState.wait_for_completion(f, js, timeout=5)
print(r, js.status)
