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
class Many(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["i"])
    def go(self, n=0, **kw):
        for i in range(n):
            self.emit("out", i=i)

class Sum(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, i):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("total", ctx.job_state.get_shared_data("total", 0) + i)

flow = Flow(flow_id="many")
flow.add_routine(Many(), "m"); flow.add_routine(Sum(), "s")
flow.connect("m", "out", "s", "input")
js = flow.execute("m", entry_params={"n": 200}); wait(flow, js, 30)
print(js.status, js.shared_data)
print(len(js.execution_history), len(js.get_execution_history("m")), len(js.get_execution_history("s")))
print(js.execution_history[-1].routine_id, js.execution_history[-1].data)
