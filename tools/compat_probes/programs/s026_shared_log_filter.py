from routilux import Flow, Routine, JobState


class Auditor(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.audit)
        self.define_event("checked", ["user", "level"])

    def audit(self, users=None, **kwargs):
        ctx = self.get_execution_context()
        for user, level in users:
            ctx.job_state.append_to_shared_log({"user": user, "level": level})
            self.emit("checked", user=user, level=level)


class Escalate(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.escalate)

    def escalate(self, user=None, level=None, **kwargs):
        if level >= 3:
            ctx = self.get_execution_context()
            ctx.job_state.append_to_shared_log({"user": user, "level": level, "escalated": True})


flow = Flow(flow_id="audit")
flow.add_routine(Auditor(), "auditor")
flow.add_routine(Escalate(), "escalate")
flow.connect("auditor", "checked", "escalate", "input")
job = flow.execute("auditor", entry_params={"users": [("ann", 1), ("bob", 3), ("cy", 5)]})
JobState.wait_for_completion(flow, job, timeout=5)
log = job.get_shared_log()
print("entries:", len(log))
print("all have timestamp:", all("timestamp" in e for e in log))
high = job.get_shared_log(filter_func=lambda e: e.get("escalated"))
print("escalated:", [e["user"] for e in high])
try:
    job.append_to_shared_log("not a dict")
except ValueError as e:
    print("error:", e)
print(job.status)
flow.shutdown()
