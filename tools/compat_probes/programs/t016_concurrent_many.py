"""Concurrent strategy: one source feeding a slow-ish worker many times."""
import time

from routilux import Flow, Routine, JobState


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("item", ["i"])

    def go(self, n=5, **kwargs):
        for i in range(n):
            self.emit("item", i=i)


class Worker(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.work)

    def work(self, i=None, **kwargs):
        time.sleep(0.01)
        ctx = self.get_execution_context()
        ctx.job_state.append_to_shared_log({"i": i, "sq": i * i})


flow = Flow(flow_id="conc", execution_strategy="concurrent", max_workers=4)
flow.add_routine(Source(), "source")
flow.add_routine(Worker(), "worker")
flow.connect("source", "item", "worker", "input")
job = flow.execute("source", entry_params={"n": 8})
done = JobState.wait_for_completion(flow, job, timeout=10)
print("done:", done, job.status)
log = sorted(job.get_shared_log(), key=lambda e: e["i"])
print([e["sq"] for e in log])
print("emits:", len(job.get_execution_history("source")))
flow.shutdown(wait=True)
print("strategy:", flow.execution_strategy, "workers:", flow.max_workers)
