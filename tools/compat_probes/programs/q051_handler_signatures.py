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

class Multi(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["a", "b"])
    def go(self, **kw):
        self.emit("out", a=1, b=2)
        self.emit("out", c=3)
class One(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, a):
        print("One", a)
class Data(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, data):
        print("Data", data)
class Two(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, a, b=None):
        print("Two", a, b)
class Fn(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=lambda **kw: print("lam", sorted(kw)))
f = Flow(flow_id="sig")
f.add_routine(Multi(), "m")
for n, c in [("one", One), ("data", Data), ("two", Two), ("fn", Fn)]:
    f.add_routine(c(), n); f.connect("m", "out", n, "input")
js = f.execute("m"); wait(f, js)
print(js.status, json.dumps(js.routine_states, sort_keys=True))
