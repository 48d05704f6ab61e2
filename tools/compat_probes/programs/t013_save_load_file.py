"""Save a JobState to a JSON file and load it back."""
import json
import os

from routilux import Flow, Routine, JobState


class Hello(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.hello)
        self.define_event("said", ["word"])

    def hello(self, **kwargs):
        self.emit("said", word="hello")


flow = Flow(flow_id="saver")
flow.add_routine(Hello(), "hello")
job = flow.execute("hello")
JobState.wait_for_completion(flow, job, timeout=5)
job.save("job.json")
print("saved:", os.path.exists("job.json"))
with open("job.json") as fh:
    raw = json.load(fh)
print("file status:", raw["status"], "flow:", raw["flow_id"])
loaded = JobState.load("job.json")
print(type(loaded).__name__, loaded.status, loaded.flow_id)
print([(r.routine_id, r.event_name, r.data) for r in loaded.get_execution_history()])
print(loaded.get_routine_state("hello"))
