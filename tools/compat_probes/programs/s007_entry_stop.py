"""Entry routine fails with the default (STOP) error handling."""
from routilux import Flow, Routine, JobState


class Loader(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.load)
        self.define_event("loaded", ["rows"])

    def load(self, path=None, **kwargs):
        if not path:
            raise FileNotFoundError("no input path given")
        self.emit("loaded", rows=[1, 2, 3])


flow = Flow(flow_id="loader_flow")
flow.add_routine(Loader(), "loader")
job_state = flow.execute("loader")
JobState.wait_for_completion(flow, job_state, timeout=5)
print("Status:", job_state.status)
state = job_state.get_routine_state("loader")
print("Routine status:", state["status"])
print("Error:", state["error"])
for record in job_state.execution_history:
    print(record.routine_id, record.event_name, record.data)
if job_state.status == "failed":
    for routine_id, routine_state in job_state.routine_states.items():
        if routine_state.get("status") == "failed":
            print(f"Routine {routine_id} failed: {routine_state.get('error')}")
flow.shutdown()
