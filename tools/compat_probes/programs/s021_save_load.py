import os

from routilux import Flow, Routine, JobState


class Counter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.count)

    def count(self, upto=3, **kwargs):
        ctx = self.get_execution_context()
        for i in range(upto):
            ctx.job_state.update_shared_data("count", i + 1)
        ctx.job_state.update_routine_state(ctx.routine_id, {"counted": upto})


flow = Flow(flow_id="counter_flow")
flow.add_routine(Counter(), "counter")
job = flow.execute("counter", entry_params={"upto": 5})
JobState.wait_for_completion(flow, job, timeout=5)
job.save("states/job.json")
print("saved:", os.path.exists("states/job.json"))
restored = JobState.load("states/job.json")
print(restored.flow_id, restored.status, restored.shared_data)
print(restored.get_routine_state("counter"))
print(len(restored.execution_history), restored.execution_history[0].event_name)
try:
    JobState.load("states/missing.json")
except FileNotFoundError as e:
    print("FileNotFoundError:", e)
with open("states/other.json", "w") as f:
    f.write('{"hello": 1}')
try:
    JobState.load("states/other.json")
except ValueError as e:
    print("ValueError:", e)
flow.shutdown()
