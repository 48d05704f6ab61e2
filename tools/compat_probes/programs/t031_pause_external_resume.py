"""Pause from outside between two runs, with a checkpoint, then resume."""
from routilux import Flow, Routine, JobState


class Step(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("done", ["n"])

    def go(self, n=0, **kwargs):
        self.emit("done", n=n)


class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, n=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_routine_state(ctx.routine_id, {"took": n})


flow = Flow(flow_id="ext-pause")
flow.add_routine(Step(), "step")
flow.add_routine(Sink(), "sink")
flow.connect("step", "done", "sink", "input")
job = flow.execute("step", entry_params={"n": 5})
JobState.wait_for_completion(flow, job, timeout=5)
print("status before pause:", job.status, job.get_routine_state("sink"))
job2 = flow.execute("step", entry_params={"n": 6})
flow.pause(job2, reason="maintenance", checkpoint={"stage": 2})
print("paused:", job2.status)
pp = job2.pause_points[-1]
print(pp["reason"], pp["checkpoint"])
flow.resume(job2)
JobState.wait_for_completion(flow, job2, timeout=5)
print("resumed:", job2.status)
