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

class Cnt(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        ctx = self.get_execution_context()
        st = ctx.job_state.get_routine_state(ctx.routine_id)
        if st is None:
            ctx.job_state.update_routine_state(ctx.routine_id, {"count": 1, "xs": [x]})
        else:
            st["count"] += 1
            st["xs"].append(x)
f = Flow(flow_id="lr")
f.add_routine(Src(), "s"); f.add_routine(Cnt(), "c"); f.connect("s", "out", "c", "input")
js = f.execute("s", entry_params={"items": [1, 2, 3]}); wait(f, js)
print(js.get_routine_state("c"))
js.routine_states["c"]["extra"] = True
print(js.get_routine_state("c"))
sd = js.shared_data; sd["direct"] = 1; print(js.get_shared_data("direct"))
