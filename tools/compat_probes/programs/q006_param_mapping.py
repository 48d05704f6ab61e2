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
        self.define_event("out", ["name", "age", "city"])
    def go(self, **kw):
        self.emit("out", name="Ann", age=30, city="Oslo")
class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print("P", sorted(kw.items()))
f = Flow(flow_id="pm")
f.add_routine(Src2(), "s"); f.add_routine(P(), "p"); f.add_routine(P(), "q")
c = f.connect("s", "out", "p", "input", param_mapping={"name": "user_name", "age": "years"})
f.connect("s", "out", "q", "input")
print(type(c).__name__, c.param_mapping)
js = f.execute("s"); wait(f, js)
print([(r.routine_id, r.event_name, sorted(r.data)) for r in js.execution_history])
