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
class Bad(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])

    def go(self, **kwargs):
        raise ValueError("cannot parse input")

flow = Flow(flow_id="det")
entry_routine_id = flow.add_routine(Bad(), "bad")
flow.add_routine(Printer(), "p")
flow.connect("bad", "output", "p", "input")
job_state = flow.execute(entry_routine_id)
completed = JobState.wait_for_completion(flow, job_state, timeout=60.0)
print(completed, job_state.status)
if job_state.status == "failed":
    for routine_id, routine_state in job_state.routine_states.items():
        if routine_state.get("status") == "failed":
            print(f"Routine {routine_id} failed: {routine_state.get('error')}")
print(sorted(job_state.get_routine_state("bad").keys()))
print([(r.routine_id, r.event_name, sorted(r.data)) for r in job_state.execution_history])
