from routilux import Flow, Routine
from routilux.job_state import JobState
class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, **kw):
        self.emit("out", x=1)
class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        pass
single = Flow(flow_id="one"); single.add_routine(Src(), "s")
double = Flow(flow_id="two"); double.add_routine(Src(), "s"); double.add_routine(Sink(), "k"); double.connect("s", "out", "k", "input")
for f in (single, double):
    statuses = []
    for i in range(20):
        js = f.execute("s")
        statuses.append(js.status)
        JobState.wait_for_completion(f, js, timeout=5)
    print(f.flow_id, sorted(set(statuses)))
