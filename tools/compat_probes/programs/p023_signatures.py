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

class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x", "y"])
    def go(self, **kw):
        self.emit("out", x=1, y=2)
class Data(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, data): print("data:", data)
class One(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, x): print("one:", x)
class Other(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, z): print("other:", z)
class Two(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, x, y): print("two:", x, y)
class TwoNo(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, a, b=None): print("twono:", a, b)
class Mixed(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, x, **rest): print("mixed:", x, rest)
for cls in [Data, One, Other, Two, TwoNo, Mixed]:
    f = Flow(flow_id="sig"); f.add_routine(A(), "a"); f.add_routine(cls(), "t"); f.connect("a", "out", "t", "input")
    js = f.execute("a"); wait(f, js); print(cls.__name__, js.status)
