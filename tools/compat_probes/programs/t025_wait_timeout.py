"""JobState.wait_for_completion returns False when the timeout passes first."""
import threading

from routilux import Flow, Routine, JobState

release = threading.Event()


class Start(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("next")

    def go(self, **kwargs):
        self.emit("next")


class Blocker(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.block)

    def block(self, **kwargs):
        release.wait(10)
        print("blocker released")


flow = Flow(flow_id="slow")
flow.add_routine(Start(), "start")
flow.add_routine(Blocker(), "blocker")
flow.connect("start", "next", "blocker", "input")
job = flow.execute("start")
ok = JobState.wait_for_completion(flow, job, timeout=0.3)
print("finished in time:", ok, job.status)
release.set()
ok = JobState.wait_for_completion(flow, job, timeout=10)
print("finished now:", ok, job.status)
