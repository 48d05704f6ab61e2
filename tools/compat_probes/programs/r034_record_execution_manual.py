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
js = JobState(flow_id="man")
js.record_execution("a", "start", {})
js.record_execution("b", "output", {"x": 1})
js.record_execution("a", "completed", {"ok": True})
print([(r.routine_id, r.event_name, r.data) for r in js.get_execution_history()])
print([(r.event_name) for r in js.get_execution_history("a")])
print(js.get_execution_history(routine_id="b")[0].data)
print(js.current_routine_id, js.status)
print(sorted(js.serialize()["execution_history"][0].keys()))
