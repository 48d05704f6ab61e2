"""Routines configured with set_config, as 0.10 recommends (no constructor args)."""
from routilux import Flow, Routine, JobState


class Multiplier(Routine):
    def __init__(self):
        super().__init__()
        self.set_config(factor=2, label="x2")
        self.define_slot("input", handler=self.run)
        self.define_event("output", ["value"])

    def run(self, value=None, **kwargs):
        self.emit("output", value=value * self.get_config("factor"))


class Start(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("output", ["value"])

    def go(self, value=1, **kwargs):
        self.emit("output", value=value)


class End(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.done)

    def done(self, value=None, **kwargs):
        print("final value:", value)


m1, m2 = Multiplier(), Multiplier()
m2.set_config(factor=10, label="x10")
print(m1.config(), m2.config())
cfg = m2.config()
cfg["factor"] = 999
print("copy is independent:", m2.get_config("factor"))
print("missing key default:", m1.get_config("missing", "n/a"))

flow = Flow(flow_id="config_flow")
flow.add_routine(Start(), "start")
flow.add_routine(m1, "m1")
flow.add_routine(m2, "m2")
flow.add_routine(End(), "end")
flow.connect("start", "output", "m1", "input")
flow.connect("m1", "output", "m2", "input")
flow.connect("m2", "output", "end", "input")
js = flow.execute("start", entry_params={"value": 3})
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
flow.shutdown()
