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
import time as _t
class Branch(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
        self.done = self.define_event("done", ["name", "value"])
    def h(self, x):
        _t.sleep(0.05)
        ctx = self.get_execution_context()
        ctx.job_state.append_to_shared_log({"branch": ctx.routine_id, "x": x})
        self.emit("done", name=ctx.routine_id, value=x * 10)

class Collect(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, name, value):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data(name, value)

flow = Flow(flow_id="cb", execution_strategy="concurrent", max_workers=4)
flow.add_routine(Src(), "src")
flow.add_routine(Collect(), "col")
for b in ("b1", "b2", "b3"):
    flow.add_routine(Branch(), b)
    flow.connect("src", "out", b, "input")
    flow.connect(b, "done", "col", "input")
js = flow.execute("src", entry_params={"items": [7]})
JobState.wait_for_completion(flow, js, timeout=10)
print(js.status, sorted(js.shared_data.items()))
print(sorted((e["branch"], e["x"]) for e in js.get_shared_log()))
print(len(js.execution_history), sorted(set(r.routine_id for r in js.execution_history)))
flow.shutdown(wait=True)
