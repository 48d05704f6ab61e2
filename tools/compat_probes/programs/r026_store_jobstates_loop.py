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
class Src2(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["task_id"])
    def go(self, task_id=None, **kwargs):
        if task_id == 3:
            raise RuntimeError("task 3 broke")
        self.emit("out", task_id=task_id)

class Quiet(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, task_id=None, **kw):
        self.get_execution_context().job_state.update_shared_data("seen", task_id)

flow = Flow(flow_id="many", execution_strategy="concurrent", max_workers=3)
entry_id = flow.add_routine(Src2(), "src")
flow.add_routine(Quiet(), "p")
flow.connect("src", "out", "p", "input")
executions = {}
for i in range(6):
    job_state = flow.execute(entry_id, entry_params={"task_id": i})
    executions[i] = job_state
for job_state in executions.values():
    JobState.wait_for_completion(flow, job_state, timeout=5.0)
for task_id, job_state in executions.items():
    print(f"Task {task_id}: {job_state.status}", job_state.shared_data)
flow.shutdown(wait=True)
