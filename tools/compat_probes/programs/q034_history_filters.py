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

class M(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("a", ["v"]); self.define_event("b", ["v"])
    def h(self, x):
        self.emit("a", v=x); self.emit("b", v=-x)
f = Flow(flow_id="hf")
f.add_routine(Src(), "s"); f.add_routine(M(), "m"); f.connect("s", "out", "m", "input")
js = f.execute("s", entry_params={"items": [1, 2]}); wait(f, js)
h = js.get_execution_history()
print(len(h), [(r.routine_id, r.event_name, r.data) for r in h])
print([r.event_name for r in js.get_execution_history(routine_id="m")])
print([r.event_name for r in js.get_execution_history("s")], js.get_execution_history("nope"))
ts = [r.timestamp for r in h]; print(ts == sorted(ts))
h.append("junk"); print(len(js.get_execution_history()))
print([r.event_name for r in js.execution_history if r.event_name == "b"])
r = h[0]; print(repr(r).split("@")[0], str(r).split("@")[0])
