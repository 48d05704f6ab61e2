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
class Two(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.a = self.define_event("a", ["x"])
        self.b = self.define_event("b", ["y"])
    def go(self, **kw):
        self.emit("a", x=1)
        self.emit("b", y=2)
        self.emit("a", x=3)

class Sink(Routine):
    def __init__(self, strategy):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h, merge_strategy=strategy)
    def h(self, **kw):
        print(" ", sorted(kw.items()))

def merge_fn(old, new):
    out = dict(old)
    for k, v in new.items():
        out[k] = out.get(k, 0) + v
    return out

for strategy in ("override", "append", merge_fn):
    print(getattr(strategy, "__name__", strategy))
    flow = Flow(flow_id="m")
    flow.add_routine(Two(), "t"); flow.add_routine(Sink(strategy), "s")
    flow.connect("t", "a", "s", "input"); flow.connect("t", "b", "s", "input")
    js = flow.execute("t"); wait(flow, js)
