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

class Double(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
        self.output_event = self.define_event("output", ["x"])
    def h(self, x):
        self.emit("output", x=x * 2)
f = Flow(flow_id="lin")
f.add_routine(Src(), "src"); f.add_routine(Double(), "d1"); f.add_routine(Double(), "d2"); f.add_routine(Printer(), "p")
f.connect("src", "out", "d1", "input"); f.connect("d1", "output", "d2", "input"); f.connect("d2", "output", "p", "input")
js = f.execute("src", entry_params={"items": [1, 2, 3]})
print(wait(f, js), js.status)
print([(r.routine_id, r.event_name, r.data) for r in js.execution_history])
print(js.routine_states)
print(len(js.get_execution_history("d1")), len(js.get_execution_history("p")))
