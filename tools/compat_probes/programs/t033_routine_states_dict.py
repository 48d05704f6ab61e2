"""Print every routine state after a branching run."""
from routilux import Flow, Routine, JobState


class Classify(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.classify)
        self.define_event("odd", ["n"])
        self.define_event("even", ["n"])

    def classify(self, numbers=None, **kwargs):
        for n in numbers:
            self.emit("even" if n % 2 == 0 else "odd", n=n)


class Count(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.count)

    def count(self, n=None, **kwargs):
        ctx = self.get_execution_context()
        state = ctx.job_state.get_routine_state(ctx.routine_id) or {"seen": []}
        ctx.job_state.update_routine_state(ctx.routine_id, {"seen": state["seen"] + [n], "status": "completed"})


flow = Flow(flow_id="states")
flow.add_routine(Classify(), "classify")
flow.add_routine(Count(), "odds")
flow.add_routine(Count(), "evens")
flow.connect("classify", "odd", "odds", "input")
flow.connect("classify", "even", "evens", "input")
job = flow.execute("classify", entry_params={"numbers": [1, 2, 3, 4, 5]})
JobState.wait_for_completion(flow, job, timeout=5)
for rid in sorted(job.routine_states):
    print(rid, job.routine_states[rid])
print(job.status, job.current_routine_id)
