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

import datetime as dt
from dataclasses import dataclass
@dataclass
class Point:
    x: int
    y: int
class Custom:
    def __init__(self, v): self.v = v
class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["v"])
    def go(self, kind=None, **kw):
        vals = {"set": {3, 1}, "date": dt.date(2020, 1, 2), "bytes": b"ab", "point": Point(1, 2), "custom": Custom(5), "func": len, "tuple": (1, "a")}
        self.emit("out", v=vals[kind])
class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, v=None):
        print("  B got", type(v).__name__, getattr(v, "v", None) if isinstance(v, Custom) else (sorted(v) if isinstance(v, set) else (v if not callable(v) else v.__name__)))
for kind in ["set", "date", "bytes", "point", "custom", "func", "tuple"]:
    f = Flow(flow_id="po"); f.add_routine(A(), "a"); f.add_routine(B(), "b"); f.connect("a", "out", "b", "input")
    js = f.execute("a", entry_params={"kind": kind}); wait(f, js)
    print(kind, js.status, [r.event_name for r in js.execution_history])
