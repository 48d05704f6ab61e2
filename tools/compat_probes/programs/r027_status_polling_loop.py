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
import time
class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])
    def send(self, **kwargs):
        self.emit("output", data="x")

flow = Flow(flow_id="poll")
source_id = flow.add_routine(Source(), "source")
job_state = flow.execute(source_id)
n = 0
while job_state.status == "running" and n < 30:
    time.sleep(0.1)
    n += 1
if job_state.status == "completed":
    print("Execution successful!")
elif job_state.status == "failed":
    print("Execution failed!")
else:
    print("still", job_state.status)
