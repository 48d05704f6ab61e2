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
seen = []
class R(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        seen.append(ctx)
        flow, job_state, routine_id = ctx
        print(type(ctx).__name__, routine_id, job_state.flow_id, flow.flow_id)
        print(ctx._fields if hasattr(ctx, "_fields") else None)
        print(isinstance(ctx, tuple), len(ctx), ctx[2])

flow = Flow(flow_id="ctxf")
flow.add_routine(R(), "the_entry")
js = flow.execute("the_entry"); wait(flow, js)
print(seen[0].job_state is js, seen[0].flow is flow)
print(ExecutionContext.__name__)
