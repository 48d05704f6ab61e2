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

flow = Flow(flow_id="my_flow")
source_id = flow.add_routine(Source(), "source")
job_state = flow.execute(source_id)
JobState.wait_for_completion(flow, job_state, timeout=5.0)
source_state = job_state.get_routine_state("source")
if source_state:
    print(f"Source status: {source_state.get('status')}")
    print(f"Source metadata: {source_state}")
job_state.update_routine_state("source", {
    "status": "completed",
    "execution_time": 0.5,
    "custom_field": "value"
})
updated_state = job_state.get_routine_state("source")
print(f"Updated state: {updated_state}")
job_state.update_routine_state("other", {"a": 1})
job_state.update_routine_state("other", {"b": 2})
print(job_state.get_routine_state("other"))
print(job_state.get_routine_state("missing"))
st = {"k": [1]}
job_state.update_routine_state("third", st)
st["k"].append(2); st["z"] = 1
print(job_state.get_routine_state("third"))
got = job_state.get_routine_state("third")
got["added"] = True
print(job_state.get_routine_state("third"))
print(sorted(job_state.routine_states))
