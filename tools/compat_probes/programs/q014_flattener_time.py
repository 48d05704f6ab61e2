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

class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print("P", sorted(kw.items()))
class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, items=(), **kw):
        for t in items:
            self.emit("out", data=t)
d = DataFlattener(); d.set_config(separator="/")
f = Flow(flow_id="fl")
f.add_routine(S(), "s"); f.add_routine(d, "d"); f.add_routine(P(), "p")
f.connect("s", "out", "d", "input"); f.connect("d", "output", "p", "input")
js = f.execute("s", entry_params={"items": [{"a": {"b": 1, "c": [1, {"d": 2}]}}, [1, [2]], "x", None]}); wait(f, js)
print(js.status, sorted(d.config().items()))
tp = TimeProvider()
print(sorted(tp.config().items()), sorted(tp._slots), sorted(tp._events), tp.get_event("output").output_params)
