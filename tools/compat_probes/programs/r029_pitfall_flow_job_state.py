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
flow = Flow(flow_id="pit")
flow.add_routine(Src(), "src")
try:
    flow.job_state.status
except AttributeError as e:
    print("AttributeError:", e)
js = flow.execute("src")
wait(flow, js)
print(js.status)
print(hasattr(flow, "job_state"), hasattr(flow, "job_states"))
