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
        time.sleep(0.6)
f = Flow(flow_id="pc"); f.add_routine(Src(), "s"); f.add_routine(Slow(), "w"); f.connect("s", "out", "w", "input")
calls = []
js = f.execute("s", entry_params={"items": [1]})
r = JobState.wait_for_completion(f, js, timeout=10, progress_callback=lambda q, a, st: calls.append((q, a, st)))
print(r, js.status, len(calls) > 0, all(isinstance(c[0], int) and isinstance(c[1], int) for c in calls), sorted({c[2] for c in calls}))
