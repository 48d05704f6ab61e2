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
class PauseMe(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
    def go(self, **kw):
        ctx = self.get_execution_context()
        ctx.flow.pause(ctx.job_state, reason="hold")

flow = Flow(flow_id="wt")
flow.add_routine(PauseMe(), "pm")
js = flow.execute("pm")
print(js.status)
ok = JobState.wait_for_completion(flow, js, timeout=1.0)
print(ok, js.status)
flow.cancel(js, reason="give up")
ok = JobState.wait_for_completion(flow, js, timeout=1.0)
print(ok, js.status, js.routine_states.get("_cancellation"))
