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

from routilux.builtin_routines import TextClipper
class T(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("out", ["text"])
    def go(self, text="", **kw): self.emit("out", text=text)
c = TextClipper(); c.set_config(max_length=5)
f = Flow(flow_id="tc"); f.add_routine(T(), "t"); f.add_routine(c, "c"); f.add_routine(Printer("clip"), "p")
f.connect("t", "out", "c", "input"); f.connect("c", "output", "p", "input")
js = f.execute("t", entry_params={"text": "hello world"}); wait(f, js); print(js.status)
js = f.execute("t", entry_params={"text": "hi"}); wait(f, js); print(js.status)
