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
class Lonely(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])
        self.other_event = self.define_event("other")
    def go(self, **kw):
        self.emit("output", data=1)
        self.emit("other")
        self.emit("output")

flow = Flow(flow_id="lonely")
flow.add_routine(Lonely(), "l")
js = flow.execute("l"); wait(flow, js)
print(js.status, js.routine_states)
print([(r.routine_id, r.event_name, r.data) for r in js.execution_history])
print(flow.connections)
