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

    def send(self, value=None, **kwargs):
        self.emit("output", data=value)

flow = Flow(flow_id="my_flow")
source_id = flow.add_routine(Source(), "source")
flow.add_routine(Printer(), "p")
flow.connect("source", "output", "p", "input")
job_state1 = flow.execute(source_id, entry_params={"value": "A"})
JobState.wait_for_completion(flow, job_state1, timeout=5.0)
job_state2 = flow.execute(source_id, entry_params={"value": "B"})
JobState.wait_for_completion(flow, job_state2, timeout=5.0)
job_state3 = flow.execute(source_id, entry_params={"value": "C"})
JobState.wait_for_completion(flow, job_state3, timeout=5.0)
assert job_state1.job_id != job_state2.job_id
assert job_state2.job_id != job_state3.job_id
assert job_state1 is not job_state2
print(f"Execution 1 history: {len(job_state1.execution_history)} records")
print(f"Execution 2 history: {len(job_state2.execution_history)} records")
print(f"Execution 3 history: {len(job_state3.execution_history)} records")
for js in (job_state1, job_state2, job_state3):
    print(js.status, [r.data for r in js.execution_history], js.get_routine_state("source"))
