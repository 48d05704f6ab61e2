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
js = JobState()
print(repr(js.flow_id), js.status, js.current_routine_id)
print(js.routine_states, js.execution_history, js.pause_points, js.pending_tasks)
print(js.deferred_events, js.shared_data, js.shared_log, js.output_log, js.output_handler)
print(repr(js).startswith("JobState["), repr(js).endswith(":pending]"))
js2 = JobState("named")
print(js2.flow_id, js.job_id != js2.job_id)
d = js2.serialize()
print(sorted(d.keys()))
print({k: v for k, v in sorted(d.items()) if k not in ("job_id", "created_at", "updated_at")})
print(type(d["created_at"]).__name__)
