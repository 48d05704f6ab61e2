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

class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, vals=(), **kw):
        for v in vals:
            self.emit("out", data=v)
class P(Routine):
    def __init__(self, tag):
        super().__init__(); self.tag = tag
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print(self.tag, sorted(kw.items()))
r = ConditionalRouter()
r.add_route("even", lambda d: d % 2 == 0)
r.add_route("big", "data > 10")
print(sorted(r._events), [n for n, _ in r.get_config("routes")])
f = Flow(flow_id="ar")
f.add_routine(S(), "s"); f.add_routine(r, "r"); f.add_routine(P("E"), "e"); f.add_routine(P("B"), "b"); f.add_routine(P("O"), "o")
f.connect("s", "out", "r", "input"); f.connect("r", "even", "e", "input"); f.connect("r", "big", "b", "input"); f.connect("r", "output", "o", "input")
js = f.execute("s", entry_params={"vals": [4, 13, 12, 7]}); wait(f, js)
print(js.status, [(h.routine_id, h.event_name, h.data) for h in js.execution_history if h.routine_id == "r"])
