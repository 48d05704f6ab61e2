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

js = JobState("flowX")
print(js.status, js.flow_id, js.current_routine_id, js.routine_states, js.execution_history, js.pause_points, js.pending_tasks, js.deferred_events, js.shared_data, js.shared_log, js.output_log, js.output_handler)
js.status = "running"; print(js.status)
js.update_routine_state("r1", {"status": "running", "n": 1})
js.update_routine_state("r1", {"n": 2})
print(js.get_routine_state("r1"), js.get_routine_state("zz"))
st = js.get_routine_state("r1"); st["n"] = 100; print(js.get_routine_state("r1"))
js.record_execution("r1", "custom", {"k": "v"})
print(len(js.execution_history), js.execution_history[0].routine_id, js.execution_history[0].data)
js.status = "completed"; print(js.status)
j0 = JobState(); print(repr(j0.flow_id), j0.status)
