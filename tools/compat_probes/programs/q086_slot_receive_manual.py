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

class Acc(Routine):
    def __init__(self):
        super().__init__()
        self.s = self.define_slot("input", handler=self.h, merge_strategy="append")
    def h(self, **kw):
        print("acc", kw)
a = Acc()
a.s.receive({"x": 1})
a.s.receive({"x": 2, "y": 3})
print(a.s._data)
a.s.call_handler({"x": 4})
try:
    a.s.call_handler({"z": 1}, propagate_exceptions=True)
except Exception as e:
    print("err", type(e).__name__)
b = Acc()
b.s.merge_strategy = "override"
b.s.receive({"q": 1}); b.s.receive({"r": 2}); print(b.s._data)
