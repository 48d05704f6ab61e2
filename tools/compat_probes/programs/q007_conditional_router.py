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
r.set_config(routes=[("high", lambda d: d["score"] > 50), ("low", lambda d: d["score"] <= 50)], default_route="low")
r.define_event("high", ["data", "route"]); r.define_event("low", ["data", "route"])
f = Flow(flow_id="cr")
f.add_routine(Src2(), "s"); f.add_routine(r, "r"); f.add_routine(P("H"), "h"); f.add_routine(P("L"), "l")
f.connect("s", "out", "r", "input"); f.connect("r", "high", "h", "input"); f.connect("r", "low", "l", "input")
js = f.execute("s", entry_params={"vals": [{"score": 90}, {"score": 10}, {"score": 51}]}); wait(f, js)
print(js.status, sorted(r._events), r.get_config("route_priority"), r.get_config("default_route"))
print([(x.routine_id, x.event_name) for x in js.execution_history])
