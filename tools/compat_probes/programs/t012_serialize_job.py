"""Serialize a finished JobState to a dict and back."""
from routilux import Flow, Routine, JobState


class Count(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.count)
        self.define_event("counted", ["n"])

    def count(self, upto=3, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("upto", upto)
        ctx.job_state.append_to_shared_log({"msg": "counting", "upto": upto})
        for i in range(upto):
            self.emit("counted", n=i)


class Tally(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.tally)

    def tally(self, n=None, **kwargs):
        ctx = self.get_execution_context()
        st = ctx.job_state.get_routine_state(ctx.routine_id) or {}
        ctx.job_state.update_routine_state(ctx.routine_id, {"sum": st.get("sum", 0) + n})


flow = Flow(flow_id="ser")
flow.add_routine(Count(), "count")
flow.add_routine(Tally(), "tally")
flow.connect("count", "counted", "tally", "input")
job = flow.execute("count", entry_params={"upto": 4})
JobState.wait_for_completion(flow, job, timeout=5)

data = job.serialize()
print(sorted(data.keys()))
restored = JobState()
restored.deserialize(data)
print(restored.flow_id, restored.status, restored.job_id == job.job_id)
print(restored.get_routine_state("tally"))
print(restored.shared_data, restored.shared_log)
print(len(restored.execution_history), type(restored.execution_history[0]).__name__)
print([r.data for r in restored.get_execution_history("count")])
