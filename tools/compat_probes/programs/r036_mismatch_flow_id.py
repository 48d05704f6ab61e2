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
flow = Flow(flow_id="right")
flow.add_routine(Src(), "src")
other = JobState(flow_id="wrong")
for name, call in [("pause", lambda: flow.pause(other, reason="x")),
                   ("cancel", lambda: flow.cancel(other, reason="x")),
                   ("resume", lambda: flow.resume(other))]:
    try:
        call()
        print(name, "ok", other.status)
    except ValueError as e:
        print(name, "ValueError:", e)
print(other.status)
