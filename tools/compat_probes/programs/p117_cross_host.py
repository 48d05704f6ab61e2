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

def build():
    f = Flow(flow_id="xh"); f.add_routine(Src(), "s"); f.add_routine(Printer("host"), "p"); f.connect("s", "out", "p", "input")
    return f
a = build()
js = a.execute("s", entry_params={"items": [1]})
a.pause(js, reason="Transfer to Host B")
data = json.dumps(js.serialize())
b = build()
j2 = JobState(); j2.deserialize(json.loads(data))
print(j2.status, j2.pause_points[-1]["reason"])
j2 = b.resume(j2); wait(b, j2); print(j2.status)
