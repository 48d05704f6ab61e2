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
js = JobState(flow_id="saved")
js.update_routine_state("a", {"status": "completed", "n": 1})
js.record_execution("a", "output", {"v": [1, 2]})
js.update_shared_data("k", {"x": 1})
js.append_to_shared_log({"msg": "hi"})
js.save("state/job.json")
raw = json.load(open("state/job.json"))
print(sorted(raw.keys()))
print(raw["_type"], raw["execution_history"][0].get("_type"), sorted(raw["execution_history"][0].keys()))
loaded = JobState.load("state/job.json")
print(loaded.flow_id, loaded.job_id == js.job_id, loaded.status, loaded.routine_states)
print([(r.routine_id, r.event_name, r.data, type(r.timestamp).__name__) for r in loaded.execution_history])
print(loaded.shared_data, [e["msg"] for e in loaded.shared_log], type(loaded.created_at).__name__)
try:
    JobState.load("state/nothere.json")
except FileNotFoundError as e:
    print("FileNotFoundError:", e)
json.dump({"flow_id": "x"}, open("state/bad.json", "w"))
try:
    JobState.load("state/bad.json")
except ValueError as e:
    print("ValueError:", e)
