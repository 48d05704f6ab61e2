from routilux import *
from routilux.job_state import JobState
import time, json

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self, label="p", **slot_kw):
        super().__init__()
        self.label = label
        self.input_slot = self.define_slot("input", handler=self.show, **slot_kw)
    def show(self, **kw):
        print(self.label, kw)

def wait(flow, js):
    ok = JobState.wait_for_completion(flow, js, timeout=10)
    return ok

f = Flow(flow_id="fs", execution_strategy="concurrent", max_workers=3)
f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input", param_mapping={"x": "y"})
f.set_error_handler(ErrorHandler(strategy="continue"))
d = f.serialize()
print(sorted(d))
print(d["flow_id"], d["execution_strategy"], d["max_workers"], sorted(d["routines"]), len(d["connections"]))
print(sorted(d["connections"][0]))
f2 = Flow(); f2.deserialize(d)
print(f2.flow_id, f2.execution_strategy, f2.max_workers, sorted(f2.routines), len(f2.connections), f2.error_handler.strategy)
js = f2.execute("s"); wait(f2, js); print(js.status)
