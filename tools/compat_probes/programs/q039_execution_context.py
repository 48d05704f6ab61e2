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

class E(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_slot("input", handler=self.h)
        self.define_event("out", ["x"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        print(type(ctx).__name__, ctx.routine_id, ctx.flow.flow_id, ctx.job_state.status, ctx._fields)
        self.emit("out", x=1)
    def h(self, x):
        ctx = self.get_execution_context()
        print("down", ctx.routine_id, ctx.flow is f, ctx.job_state.flow_id)
        fl, js, rid = ctx
        print(rid, js is ctx.job_state)
e = E(); e2 = E()
print(e.get_execution_context())
f = Flow(flow_id="ctx"); f.add_routine(e, "e"); f.add_routine(e2, "e2"); f.connect("e", "out", "e2", "input")
js = f.execute("e"); wait(f, js)
print(e.get_execution_context())
print(ExecutionContext._fields)
