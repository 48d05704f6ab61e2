"""Several jobs on the same flow, each with its own JobState."""
from routilux import Flow, Routine, JobState


class Square(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])

    def go(self, x=0, **kwargs):
        self.emit("out", x=x * x)


class Keep(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.keep)

    def keep(self, x=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("result", x)


flow = Flow(flow_id="multi")
flow.add_routine(Square(), "sq")
flow.add_routine(Keep(), "keep")
flow.connect("sq", "out", "keep", "input")

jobs = []
for x in range(1, 5):
    job = flow.execute("sq", entry_params={"x": x})
    JobState.wait_for_completion(flow, job, timeout=5)
    jobs.append(job)
for job in jobs:
    print(job.status, job.get_shared_data("result"), job.get_execution_history()[0].data)
print("distinct ids:", len({j.job_id for j in jobs}))
