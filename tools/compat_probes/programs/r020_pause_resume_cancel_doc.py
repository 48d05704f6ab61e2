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

flow = Flow(flow_id="prc")
source_id = flow.add_routine(Source(), "source")
flow.add_routine(Printer(), "p")
flow.connect("source", "output", "p", "input")
job_state = flow.execute(source_id)
JobState.wait_for_completion(flow, job_state, timeout=5.0)
flow.pause(job_state, reason="Manual pause for inspection")
print(job_state.status)
assert job_state.status == "paused"
resumed_job_state = flow.resume(job_state)
JobState.wait_for_completion(flow, resumed_job_state, timeout=5.0)
print(resumed_job_state.status, resumed_job_state is job_state)
another_job_state = flow.execute(source_id)
JobState.wait_for_completion(flow, another_job_state, timeout=5.0)
flow.cancel(another_job_state, reason="No longer needed")
print(another_job_state.status)
print(another_job_state.routine_states.get("_cancellation"))
print(sorted(another_job_state.routine_states))
print(len(job_state.pause_points), job_state.pause_points[0]["reason"])
