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

class Gate(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("out", ["x"])
    def h(self, x):
        ctx = self.get_execution_context()
        if x == 2 and not ctx.job_state.get_shared_data("paused_once"):
            ctx.job_state.update_shared_data("paused_once", True)
            ctx.flow.pause(ctx.job_state, reason="need approval", checkpoint={"x": x})
        self.emit("out", x=x)
f = Flow(flow_id="ph")
f.add_routine(Src(), "s"); f.add_routine(Gate(), "g"); f.add_routine(Printer(), "p")
f.connect("s", "out", "g", "input"); f.connect("g", "out", "p", "input")
js = f.execute("s", entry_params={"items": [1, 2, 3]})
time.sleep(0.5)
print("status", js.status, [pp["reason"] for pp in js.pause_points][:1])
f.resume(js); wait(f, js)
print("final", js.status)
