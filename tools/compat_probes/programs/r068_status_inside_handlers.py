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
class Entry(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        print("entry sees", ctx.job_state.status, ctx.job_state.get_routine_state(ctx.routine_id))
        self.emit("out", x=1)

class Down(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, x):
        ctx = self.get_execution_context()
        print("down sees", ctx.job_state.status)

flow = Flow(flow_id="sih")
flow.add_routine(Entry(), "e"); flow.add_routine(Down(), "d")
flow.connect("e", "out", "d", "input")
js = flow.execute("e"); wait(flow, js)
print("after", js.status)
