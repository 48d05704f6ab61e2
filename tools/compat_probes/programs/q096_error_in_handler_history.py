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
        self.define_slot("input", handler=self.h)
    def h(self, x):
        return {"x": x}["missing"]
f = Flow(flow_id="eh")
f.add_routine(Src(), "s"); f.add_routine(Bad(), "b"); f.connect("s", "out", "b", "input")
js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
for r in js.execution_history:
    print(r.routine_id, r.event_name, r.data)
st = js.get_routine_state("b"); print(st)
print(js.status)
