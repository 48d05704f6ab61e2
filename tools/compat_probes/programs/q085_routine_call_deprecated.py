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

import warnings
class R(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, **kw):
        print("go", kw)
r = R()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    try:
        r(a=1)
        print("called")
    except Exception as e:
        print("err", type(e).__name__)
    print(len(w) > 0)
print("split")
print(r._extract_input_data("d"), r._extract_input_data(None, a=1), r._extract_input_data(None, a=1, b=2), r._extract_input_data())
