"""Concurrent strategy: independent workers run in parallel threads."""
import threading
import time

from routilux import Flow, Routine, JobState

lock = threading.Lock()
results = []


class Dispatch(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.dispatch)
        self.define_event("task", ["task_id"])

    def dispatch(self, n=0, **kwargs):
        for i in range(n):
            self.emit("task", task_id=i)


class Work(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.work)

    def work(self, task_id=None, **kwargs):
        time.sleep(0.05)
        with lock:
            results.append(task_id * task_id)


flow = Flow(flow_id="parallel", execution_strategy="concurrent", max_workers=4)
flow.add_routine(Dispatch(), "dispatch")
flow.add_routine(Work(), "work")
flow.connect("dispatch", "task", "work", "input")
print("strategy:", flow.execution_strategy, "workers:", flow.max_workers)
job_state = flow.execute("dispatch", entry_params={"n": 8})
done = JobState.wait_for_completion(flow, job_state, timeout=10)
print("completed in time:", done)
print("status:", job_state.status)
print("results:", sorted(results))
print("history for work:", len(job_state.get_execution_history("work")))
flow.shutdown()
