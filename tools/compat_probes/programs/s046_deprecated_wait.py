import warnings

from routilux import Flow, Routine


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["n"])

    def go(self, **kwargs):
        self.emit("out", n=5)


class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("in", handler=self.take)

    def take(self, n=None, **kwargs):
        print("sink got", n)


flow = Flow(flow_id="old_style")
flow.add_routine(Src(), "src")
flow.add_routine(Sink(), "sink")
flow.connect("src", "out", "sink", "in")
job_state = flow.execute("src")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ok = flow.wait_for_completion(timeout=5.0, job_state=job_state)
print("returned:", ok)
print("warning categories:", sorted({w.category.__name__ for w in caught}))
print("mentions JobState.wait_for_completion:", any("JobState.wait_for_completion" in str(w.message) for w in caught))
print("status:", job_state.status)
flow.shutdown()
