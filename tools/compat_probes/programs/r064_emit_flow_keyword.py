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
class Src4(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        self.emit("out", flow=ctx.flow, x=1)
        self.emit("out", x=2, flow=ctx.flow)

flow = Flow(flow_id="fk")
flow.add_routine(Src4(), "s"); flow.add_routine(Printer(), "p")
flow.connect("s", "out", "p", "input")
js = flow.execute("s"); wait(flow, js)
print(js.status, [(r.routine_id, r.event_name, r.data) for r in js.execution_history])
