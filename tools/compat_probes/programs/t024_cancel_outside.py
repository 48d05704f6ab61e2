"""Cancel a job from the outside while a slow routine works."""
import threading

from routilux import Flow, Routine, JobState

gate = threading.Event()


class Start(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("work", ["i"])

    def go(self, **kwargs):
        self.emit("work", i=1)


class Slow(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.work)

    def work(self, i=None, **kwargs):
        gate.wait(5)


flow = Flow(flow_id="cancel-me")
flow.add_routine(Start(), "start")
flow.add_routine(Slow(), "slow")
flow.connect("start", "work", "slow", "input")
job = flow.execute("start")
flow.cancel(job, reason="user pressed stop")
gate.set()
print("status:", job.status)
JobState.wait_for_completion(flow, job, timeout=5)
print("after wait:", job.status)
