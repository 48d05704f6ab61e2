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

got = []
def cb(*args, **kwargs):
    got.append((len(args), sorted(kwargs)))
class O(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go)
    def go(self, **kw): self.send_output("res", v=1)
f = Flow(flow_id="cb"); f.add_routine(O(), "o")
js = JobState(flow_id="cb"); js.set_output_handler(CallbackOutputHandler(cb))
try:
    js = f.execute("o", job_state=js)
except TypeError:
    pass
js.send_output("o", "direct", {"d": 1})
print(got)
