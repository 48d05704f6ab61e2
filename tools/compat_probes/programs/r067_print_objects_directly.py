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
flow = Flow(flow_id="po")
flow.add_routine(Src(), "src"); flow.add_routine(Printer(), "p")
flow.connect("src", "out", "p", "input")
js = flow.execute("src", entry_params={"items": [1]}); wait(flow, js)
print(js)
print(js.execution_history)
print(flow.routines)
print(flow.connections)
print(flow)
print(js.routine_states)
print(str(js) == repr(js))
