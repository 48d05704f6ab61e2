import json

from routilux import Flow, Routine, JobState


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("user", {"name": "ann", "age": 31})
        ctx.job_state.append_to_shared_log({"step": "send"})
        self.emit("output", data="test")


flow = Flow(flow_id="my_flow")
flow.add_routine(Source(), "source")
job_state = flow.execute("source")
JobState.wait_for_completion(flow, job_state, timeout=5)
flow.pause(job_state, reason="Save for later")

with open("job_state.json", "w") as f:
    json.dump(job_state.serialize(), f, indent=2)

with open("job_state.json") as f:
    loaded = json.load(f)

new_job_state = JobState()
new_job_state.deserialize(loaded)
print("same job:", new_job_state.job_id == job_state.job_id)
print("flow:", new_job_state.flow_id)
print("status:", new_job_state.status)
print("shared:", new_job_state.get_shared_data("user"))
print("log steps:", [e["step"] for e in new_job_state.get_shared_log()])
print("history:", [(r.routine_id, r.event_name) for r in new_job_state.execution_history])
print("routine states:", new_job_state.routine_states)
print("created_at type:", type(new_job_state.created_at).__name__)
resumed = flow.resume(new_job_state)
JobState.wait_for_completion(flow, resumed, timeout=5)
print("resumed:", resumed.status)
flow.shutdown()
