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
class Tag(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
        self.output_event = self.define_event("output", ["x"])
    def h(self, x):
        ctx = self.get_execution_context()
        st = ctx.job_state.get_routine_state(ctx.routine_id) or {}
        ctx.job_state.update_routine_state(ctx.routine_id, {"seen": st.get("seen", []) + [x]})
        ctx.job_state.append_to_shared_log({"by": ctx.routine_id, "x": x})
        self.emit("output", x=x * 10)

flow = Flow(flow_id="inst")
flow.add_routine(Src(), "src")
first, second = Tag(), Tag()
flow.add_routine(first, "first"); flow.add_routine(second, "second")
flow.connect("src", "out", "first", "input")
flow.connect("first", "output", "second", "input")
js = flow.execute("src", entry_params={"items": [1, 2]}); wait(flow, js)
print(js.status)
print(js.get_routine_state("first"), js.get_routine_state("second"))
print([(e["by"], e["x"]) for e in js.get_shared_log()])
print(sorted(flow.routines), flow.routines["second"] is second)
