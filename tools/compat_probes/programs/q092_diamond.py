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

class Split(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("left", ["v"]); self.define_event("right", ["v"])
    def go(self, v=1, **kw):
        self.emit("left", v=v); self.emit("right", v=v * 100)
class Side(Routine):
    def __init__(self, name):
        super().__init__(); self.name = name
        self.define_slot("input", handler=self.h); self.define_event("out", ["v", "side"])
    def h(self, v):
        self.emit("out", v=v + 1, side=self.name)
class Join(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h, merge_strategy="append")
    def h(self, v, side):
        if len(v) == 2:
            print("joined", sorted(zip(side, v)))
f = Flow(flow_id="dia")
f.add_routine(Split(), "sp"); f.add_routine(Side("L"), "l"); f.add_routine(Side("R"), "r"); f.add_routine(Join(), "j")
f.connect("sp", "left", "l", "input"); f.connect("sp", "right", "r", "input")
f.connect("l", "out", "j", "input"); f.connect("r", "out", "j", "input")
js = f.execute("sp", entry_params={"v": 5}); wait(f, js)
print(js.status, [(r.routine_id, r.event_name, r.data) for r in js.execution_history])
