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

class Src2(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, vals=(), **kw):
        for v in vals:
            self.emit("out", data=v)
class P(Routine):
    def __init__(self, tag):
        super().__init__()
        self.tag = tag
        self.define_slot("input", handler=self.h)
    def h(self, data=None, route=None, **kw):
        print(self.tag, data, route)
r = ConditionalRouter()
r.set_config(routes=[("urgent", {"priority": "high"}), ("str", "data.get('n', 0) > 3")], route_priority="all")
r.define_event("urgent", ["data", "route"]); r.define_event("str", ["data", "route"])
f = Flow(flow_id="cr2")
f.add_routine(Src2(), "s"); f.add_routine(r, "r"); f.add_routine(P("U"), "u"); f.add_routine(P("S"), "st"); f.add_routine(P("O"), "o")
f.connect("s", "out", "r", "input"); f.connect("r", "urgent", "u", "input"); f.connect("r", "str", "st", "input"); f.connect("r", "output", "o", "input")
js = f.execute("s", entry_params={"vals": [{"priority": "high", "n": 5}, {"priority": "low", "n": 1}, {"n": 9}]}); wait(f, js)
print(js.status)
