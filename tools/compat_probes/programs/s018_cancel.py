from routilux import Flow, Routine, JobState


class Job(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.work)
        self.define_event("done", ["result"])

    def work(self, **kwargs):
        self.emit("done", result="finished")


flow = Flow(flow_id="cancellable")
flow.add_routine(Job(), "job")
job_state = flow.execute("job")
flow.cancel(job_state, reason="No longer needed")
print("status:", job_state.status)
print("cancelled is final:", job_state.status in ("cancelled", "completed", "failed"))

other = JobState(flow_id="someone_else")
try:
    flow.cancel(other, reason="wrong flow")
except ValueError as e:
    print("ValueError:", e)
flow.shutdown()
