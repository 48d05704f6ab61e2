from routilux import Flow, Routine, JobState, ExecutionContext


class Inspector(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.inspect)
        self.define_event("next", [])

    def inspect(self, **kwargs):
        ctx = self.get_execution_context()
        print("is ExecutionContext:", isinstance(ctx, ExecutionContext))
        flow, job_state, routine_id = ctx
        print("flow:", flow.flow_id, "routine:", routine_id, "job status:", job_state.status)
        ctx.job_state.update_routine_state(ctx.routine_id, {"inspected": True})
        self.emit("next")


class Second(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.run)

    def run(self, **kwargs):
        ctx = self.get_execution_context()
        print("second sees routine id:", ctx.routine_id)
        print("same job:", ctx.job_state.job_id == ctx.job_state.job_id)
        ctx.job_state.update_routine_state(ctx.routine_id, {"ran": True})


flow = Flow(flow_id="ctx_flow")
flow.add_routine(Inspector(), "inspector")
flow.add_routine(Second(), "second")
flow.connect("inspector", "next", "second", "input")
js = flow.execute("inspector")
JobState.wait_for_completion(flow, js, timeout=5)
print(js.routine_states)
print(js.status)
flow.shutdown()
