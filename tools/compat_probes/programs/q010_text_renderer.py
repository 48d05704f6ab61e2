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

class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print("P", sorted(kw.items()))
class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, items=(), **kw):
        for t in items:
            self.emit("out", data=t)
for fmt in ["xml", "markdown"]:
    r = TextRenderer(); r.set_config(tag_format=fmt)
    f = Flow(flow_id="tr" + fmt)
    f.add_routine(S(), "s"); f.add_routine(r, "r"); f.add_routine(P(), "p")
    f.connect("s", "out", "r", "input"); f.connect("r", "output", "p", "input")
    js = f.execute("s", entry_params={"items": [{"name": "A", "info": {"age": 3, "tags": ["x", "y"]}}, [1, 2], "plain", 7]}); wait(f, js)
    print(fmt, js.status, sorted(r.config().items()))
