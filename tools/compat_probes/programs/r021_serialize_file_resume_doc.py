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
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])

    def go(self, data="hi", **kwargs):
        ctx = self.get_execution_context()
        self.emit_deferred_event("output", data=data)
        ctx.flow.pause(ctx.job_state, reason="Save for later")

flow = Flow(flow_id="ser")
source_id = flow.add_routine(Gate(), "gate")
flow.add_routine(Printer(), "p")
flow.connect("gate", "output", "p", "input")
job_state = flow.execute(source_id, entry_params={"data": "hello"})
job_state_data = job_state.serialize()
with open("job_state.json", "w") as f:
    json.dump(job_state_data, f, indent=2)
with open("job_state.json", "r") as f:
    loaded_data = json.load(f)
print(sorted(loaded_data.keys()))
print(loaded_data["status"], loaded_data["flow_id"], loaded_data["_type"])
new_job_state = JobState()
new_job_state.deserialize(loaded_data)
print(new_job_state.status, new_job_state.job_id == job_state.job_id, type(new_job_state.created_at).__name__)
resumed = flow.resume(new_job_state)
JobState.wait_for_completion(flow, resumed, timeout=5.0)
print(resumed.status, [(r.routine_id, r.event_name) for r in resumed.execution_history])
print(job_state.status)
