"""TimeProvider: check the shape of what it emits (not the time itself)."""
from routilux import Flow, Routine, TimeProvider, JobState


class Tick(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("tick")

    def go(self, **kwargs):
        self.emit("tick")


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, **kwargs):
        print(sorted(kwargs))
        print(type(kwargs.get("time_string")).__name__, type(kwargs.get("timestamp")).__name__)


tp = TimeProvider()
print(sorted(tp.config()))
flow = Flow(flow_id="time")
flow.add_routine(Tick(), "tick")
flow.add_routine(tp, "time")
flow.add_routine(Show(), "show")
flow.connect("tick", "tick", "time", "request")
flow.connect("time", "output", "show", "input")
job = flow.execute("tick")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
