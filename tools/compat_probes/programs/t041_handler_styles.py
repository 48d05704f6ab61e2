"""Handlers written in different styles: data dict, single named param, several params."""
from routilux import Flow, Routine, JobState


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["city", "temp"])

    def go(self, **kwargs):
        self.emit("out", city="Oslo", temp=-3)


class WholeDict(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.handle)

    def handle(self, data):
        print("whole dict:", sorted(data.items()))


class OneParam(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.handle)

    def handle(self, temp):
        print("temp only:", temp)


class TwoParams(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.handle)

    def handle(self, city, temp):
        print("both:", city, temp)


flow = Flow(flow_id="styles")
flow.add_routine(Src(), "src")
for rid, cls in [("whole", WholeDict), ("one", OneParam), ("two", TwoParams)]:
    flow.add_routine(cls(), rid)
    flow.connect("src", "out", rid, "input")
job = flow.execute("src")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
