"""A pipeline that audits each step into the shared log and reads it back."""
from routilux import Flow, Routine, JobState


class Step(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.run)
        self.define_slot("input", handler=self.run)
        self.define_event("next", ["payload"])

    def run(self, payload="", **kwargs):
        ctx = self.get_execution_context()
        tag = self.get_config("tag")
        ctx.job_state.append_to_shared_log({"step": ctx.routine_id, "payload": payload})
        self.emit("next", payload=payload + tag)


flow = Flow(flow_id="audit")
prev = None
for i, tag in enumerate("abc"):
    s = Step()
    s.set_config(tag=tag)
    rid = flow.add_routine(s, f"step{i}")
    if prev:
        flow.connect(prev, "next", rid, "input")
    prev = rid
job = flow.execute("step0", entry_params={"payload": ">"})
JobState.wait_for_completion(flow, job, timeout=5)
for entry in job.get_shared_log():
    print(entry["step"], entry["payload"], "timestamp" in entry)
print(job.status)
print(job.get_shared_data("missing", "default-value"))
