"""emit(..., flow=flow) from a handler: flow is not part of the data."""
from routilux import Flow, Routine, JobState


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x", "y"])

    def go(self, **kwargs):
        ctx = self.get_execution_context()
        self.emit("out", flow=ctx.flow, x=1, y=2)


class Dst(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, **kwargs):
        print("received keys:", sorted(kwargs))


flow = Flow(flow_id="explicit")
flow.add_routine(Src(), "src")
flow.add_routine(Dst(), "dst")
flow.connect("src", "out", "dst", "input")
job = flow.execute("src")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
print([(r.event_name, sorted(r.data)) for r in job.get_execution_history("src")])
