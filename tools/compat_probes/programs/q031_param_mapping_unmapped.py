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

class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x", "y"])
    def go(self, **kw):
        self.emit("out", x=1, y=2)
class B(Routine):
    def __init__(self, ms="override"):
        super().__init__()
        self.define_slot("input", handler=self.h, merge_strategy=ms)
    def h(self, **kw):
        print("B", sorted(kw.items()))
for ms in ["override", "append"]:
    f = Flow(flow_id="pmu")
    f.add_routine(A(), "a"); f.add_routine(B(ms), "b")
    f.connect("a", "out", "b", "input", param_mapping={"x": "xx"})
    js = f.execute("a"); wait(f, js); print(js.status)
