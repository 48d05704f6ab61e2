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

class Up(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.go); self.define_event("out", ["y"])
    def go(self, x=None, **kw): self.emit("out", y=x * 10)
f = Flow(flow_id="pipe"); f.add_routine(Src(), "s"); f.add_routine(Up(), "u"); f.add_routine(Printer("sink"), "p")
f.connect("s", "out", "u", "input"); f.connect("u", "out", "p", "input")
js = f.execute("s"); print(wait(f, js), js.status, js.flow_id)
print(js.get_routine_state("s"), js.get_routine_state("u"), js.get_routine_state("p"))
print(len(js.get_execution_history()), [r.event_name for r in js.get_execution_history("u")])
