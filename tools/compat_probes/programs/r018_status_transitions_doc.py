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
class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        self.emit("output", data="test")

flow = Flow(flow_id="st")
source_id = flow.add_routine(Source(), "source")
fresh = JobState(flow_id="st")
print(f"Fresh status: {fresh.status}")
job_state = flow.execute(source_id)
from routilux.job_state import JobState
ok = JobState.wait_for_completion(flow, job_state, timeout=5.0)
print(f"Final status: {job_state.status}", ok)
ok = JobState.wait_for_completion(flow, job_state, timeout=5.0)
print(f"Again: {job_state.status}", ok)
print(repr(job_state).split(":")[-1])
