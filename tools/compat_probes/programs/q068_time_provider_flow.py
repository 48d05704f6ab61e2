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

class Trig(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", [])
    def go(self, **kw):
        self.emit("out")
class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print("keys", sorted(kw), type(kw.get("timestamp")).__name__, type(kw.get("formatted")).__name__)
for fmt in ["iso", "timestamp", "formatted", "custom"]:
    tp = TimeProvider(); tp.set_config(format=fmt, custom_format="%Y")
    f = Flow(flow_id="tp"); f.add_routine(Trig(), "t"); f.add_routine(tp, "tp"); f.add_routine(P(), "p")
    f.connect("t", "out", "tp", "request"); f.connect("tp", "output", "p", "input")
    js = f.execute("t"); wait(f, js); print(fmt, js.status)
