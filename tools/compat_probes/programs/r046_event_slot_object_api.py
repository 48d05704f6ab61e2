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
        self.ev = self.define_event("ev", ["v"])
class B(Routine):
    def __init__(self):
        super().__init__()
        self.sl = self.define_slot("sl", handler=self.h, merge_strategy="append")
    def h(self, **kw):
        print("B got", kw)

a, b = A(), B()
a.ev.connect(b.sl)
print(a.ev.name, a.ev.output_params, a.ev.routine is a, b.sl.name, b.sl.merge_strategy, b.sl.routine is b)
a.ev.emit(v=1)
a.ev.emit(v=2)
b.sl.receive({"v": 3})
a.ev.disconnect(b.sl)
a.ev.emit(v=4)
print(b.sl._data if hasattr(b.sl, "_data") else "n/a")
b2 = B()
b2.sl.connect(a.ev)
a.ev.emit(v=5)
b2.sl.disconnect(a.ev)
a.ev.emit(v=6)
print(a.get_event("ev") is a.ev, a.get_event("nope"), b.get_slot("sl") is b.sl, b.get_slot("nope"))
