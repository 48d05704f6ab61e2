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

tc = TextClipper(); tc.set_config(max_length=10)
tr = TextRenderer()
f = Flow(flow_id="bt")
class T(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("out", ["text"])
    def go(self, text="", **kw): self.emit("out", text=text)
f.add_routine(T(), "t"); f.add_routine(tc, "clip"); f.add_routine(tr, "render")
f.add_routine(Printer("clip"), "pc"); f.add_routine(Printer("render"), "pr")
f.connect("t", "out", "clip", "input"); f.connect("clip", "output", "pc", "input")
f.connect("t", "out", "render", "input", param_mapping={"text": "data"}); f.connect("render", "output", "pr", "input")
js = f.execute("t", entry_params={"text": "hello world, this is long"}); wait(f, js); print(js.status)
js = f.execute("t", entry_params={"text": "short"}); wait(f, js); print(js.status)
