from routilux import *
from routilux.job_state import JobState
import json, time

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)
    def show(self, **kw):
        print("got", sorted(kw.items()))

def wait(flow, js, t=10):
    return JobState.wait_for_completion(flow, js, timeout=t)

class C(Routine):
    def __init__(self):
        super().__init__()
        self.set_config(threshold=5, name="c")
        self.define_slot("trigger", handler=self.go)
    def go(self, **kw):
        print("thr", self.get_config("threshold"), self.get_config("missing", "d"), self.get_config("missing"))
c = C()
print(c.config(), c.get_config("name"))
cfg = c.config(); cfg["threshold"] = 99; print(c.get_config("threshold"))
c.set_config(threshold=7, extra=[1, 2])
print(sorted(c.config().items()))
c._config["direct"] = True; print(c.get_config("direct"))
f = Flow(flow_id="cfg"); f.add_routine(c, "c")
js = f.execute("c"); wait(f, js)
print(c.serialize()["_config"])
c2 = C(); c2.deserialize(c.serialize()); print(sorted(c2.config().items()))
