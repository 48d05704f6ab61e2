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
class Bad(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
        self.output_event = self.define_event("output", ["x"])
    def h(self, x):
        if x == 2:
            raise ZeroDivisionError("division by zero")
        self.emit("output", x=x)

flow = Flow(flow_id="ds")
flow.add_routine(Src(), "src"); flow.add_routine(Bad(), "bad"); flow.add_routine(Printer(), "p")
flow.connect("src", "out", "bad", "input"); flow.connect("bad", "output", "p", "input")
js = flow.execute("src", entry_params={"items": [1, 2, 3]}); wait(flow, js)
print(js.status, js.get_routine_state("bad"))
for r in js.execution_history:
    print(r.routine_id, r.event_name, sorted(r.data.items()))
