"""Per-run execution_strategy override, set_execution_strategy, invalid strategy."""
from routilux import Flow, Routine, JobState


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["i"])

    def go(self, n=3, **kwargs):
        for i in range(n):
            self.emit("out", i=i)


class Acc(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.acc)

    def acc(self, i=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.append_to_shared_log({"i": i})


flow = Flow(flow_id="strat")
flow.add_routine(Src(), "src")
flow.add_routine(Acc(), "acc")
flow.connect("src", "out", "acc", "input")
print(flow.execution_strategy, flow.max_workers, flow.execution_timeout)
job = flow.execute("src", entry_params={"n": 4}, execution_strategy="concurrent", timeout=30)
JobState.wait_for_completion(flow, job, timeout=10)
print(job.status, sorted(e["i"] for e in job.get_shared_log()))
flow.set_execution_strategy("concurrent", max_workers=8)
print(flow.execution_strategy, flow.max_workers)
try:
    flow.set_execution_strategy("parallel")
except ValueError as exc:
    print("error:", exc)
f2 = Flow(execution_timeout=12.5)
print(f2.execution_timeout)
