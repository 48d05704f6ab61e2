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
from serilux import register_serializable

@register_serializable
class Gate(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])
    def go(self, **kwargs):
        self.emit_deferred_event("output", data="payload")
        ctx = self.get_execution_context()
        if ctx.job_state.get_shared_data("resumable", True):
            ctx.flow.pause(ctx.job_state, reason="Transfer to Host B")

@register_serializable
class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.take)
    def take(self, data=None, **kwargs):
        print("sink got", data)

flow = Flow(flow_id="xhost")
source_id = flow.add_routine(Gate(), "gate")
flow.add_routine(Sink(), "sink")
flow.connect("gate", "output", "sink", "input")
job_state = flow.execute(source_id)
print(job_state.status)
flow_data = flow.serialize()
job_state_data = job_state.serialize()
flow_data = json.loads(json.dumps(flow_data))
job_state_data = json.loads(json.dumps(job_state_data))
print("job_state" in flow_data, sorted(flow_data.keys()))
new_flow = Flow()
new_flow.deserialize(flow_data)
print(new_flow.flow_id, sorted(new_flow.routines), len(new_flow.connections))
new_job_state = JobState()
new_job_state.deserialize(job_state_data)
resumed = new_flow.resume(new_job_state)
JobState.wait_for_completion(new_flow, resumed, timeout=5.0)
print(resumed.status, resumed.shared_data)
job2 = new_flow.execute("gate")
JobState.wait_for_completion(new_flow, job2, timeout=5.0)
print(job2.status, job2.shared_data)
