"""Unpacking the ExecutionContext inside handlers."""
from routilux import Flow, Routine, ExecutionContext, JobState


class Probe(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.probe)
        self.define_event("next", ["hop"])

    def probe(self, hop=0, **kwargs):
        ctx = self.get_execution_context()
        flow, job_state, routine_id = ctx
        print(isinstance(ctx, ExecutionContext), flow.flow_id, routine_id, job_state.status)
        self.emit("next", hop=hop + 1)


class Second(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.go)

    def go(self, hop=None, **kwargs):
        ctx = self.get_execution_context()
        print("second:", ctx.routine_id, hop, ctx.job_state.flow_id)


outside = Probe().get_execution_context()
print("outside:", outside)
flow = Flow(flow_id="ctxflow")
flow.add_routine(Probe(), "probe")
flow.add_routine(Second(), "second")
flow.connect("probe", "next", "second", "input")
job = flow.execute("probe")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
