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
import threading
class Src2(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["task"])
    def go(self, task=None, **kwargs):
        self.emit("out", task=task)

class Rec(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, task=None, **kw):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("task", task)

flow = Flow(flow_id="mt", execution_strategy="concurrent", max_workers=3)
entry_id = flow.add_routine(Src2(), "src")
flow.add_routine(Rec(), "rec")
flow.connect("src", "out", "rec", "input")
def run_execution(flow, entry_id, task_name):
    from routilux.job_state import JobState
    job_state = flow.execute(entry_id, entry_params={"task": task_name})
    JobState.wait_for_completion(flow, job_state, timeout=10.0)
    return job_state
threads = []
job_states = {}
for i in range(5):
    t = threading.Thread(target=lambda i=i: job_states.update({i: run_execution(flow, entry_id, f"Task{i}")}), name=f"ExecThread{i}")
    threads.append(t)
    t.start()
for t in threads:
    t.join()
job_ids = {js.job_id for js in job_states.values()}
print(len(job_ids))
for i in sorted(job_states):
    js = job_states[i]
    print(i, js.status, js.shared_data, len(js.execution_history))
