"""Querying execution history by routine."""
from routilux import Flow, Routine, JobState


class Gen(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.gen)
        self.define_event("num", ["n"])
        self.define_event("end", ["count"])

    def gen(self, count=3, **kwargs):
        for i in range(count):
            self.emit("num", n=i)
        self.emit("end", count=count)


class Even(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.check)
        self.define_event("even", ["n"])

    def check(self, n=None, **kwargs):
        if n % 2 == 0:
            self.emit("even", n=n)


class Nop(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=lambda **kw: None)


flow = Flow(flow_id="hist")
flow.add_routine(Gen(), "gen")
flow.add_routine(Even(), "even")
flow.add_routine(Nop(), "nop")
flow.connect("gen", "num", "even", "input")
flow.connect("gen", "end", "nop", "input")
flow.connect("even", "even", "nop", "input")
job = flow.execute("gen", entry_params={"count": 5})
JobState.wait_for_completion(flow, job, timeout=5)
print("all:", len(job.get_execution_history()))
for rid in ("gen", "even", "nop"):
    recs = job.get_execution_history(rid)
    print(rid, [(r.event_name, r.data) for r in recs])
print("unknown:", job.get_execution_history("missing"))
print(repr(job.get_execution_history()[0]).split("@")[0])
