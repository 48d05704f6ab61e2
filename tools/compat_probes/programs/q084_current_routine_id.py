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

class Spy(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        ctx = self.get_execution_context()
        print("in handler", ctx.routine_id, ctx.job_state.current_routine_id)
f = Flow(flow_id="cur")
f.add_routine(Src(), "s"); f.add_routine(Spy(), "spy"); f.connect("s", "out", "spy", "input")
print(JobState("cur").current_routine_id)
js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
print("after", js.current_routine_id, js.serialize()["current_routine_id"])
f.pause(js, reason="x"); print("paused", js.current_routine_id, js.pause_points[-1]["current_routine_id"])
f.resume(js); wait(f, js); print("resumed", js.current_routine_id)
