"""One source fans out to three workers; results gathered in shared_data."""
from routilux import Flow, Routine, JobState


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["value"])

    def go(self, value=0, **kwargs):
        self.emit("out", value=value)


class Worker(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.work)

    def work(self, value=None, **kwargs):
        ctx = self.get_execution_context()
        factor = self.get_config("factor", 1)
        ctx.job_state.update_shared_data(ctx.routine_id, value * factor)


flow = Flow(flow_id="fanout")
src = flow.add_routine(Source(), "src")
for name, factor in [("double", 2), ("triple", 3), ("tenfold", 10)]:
    w = Worker()
    w.set_config(factor=factor)
    flow.add_routine(w, name)
    flow.connect(src, "out", name, "input")

job = flow.execute(src, entry_params={"value": 7})
ok = JobState.wait_for_completion(flow, job, timeout=10)
print("completed:", ok)
print("status:", job.status)
print(sorted(job.shared_data.items()))
print("history length:", len(job.get_execution_history()))
