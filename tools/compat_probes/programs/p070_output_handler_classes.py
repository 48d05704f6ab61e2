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

import queue
class MyH(OutputHandler):
    def handle(self, job_id, routine_id, output_type, data, timestamp):
        print("myh", routine_id, output_type, data)
class O(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go)
    def go(self, **kw): self.send_output("res", v=1)
f = Flow(flow_id="oh"); f.add_routine(O(), "o")
js = JobState(flow_id="oh"); js.set_output_handler(MyH())
print(js.output_handler.__class__.__name__)
n = NullOutputHandler(); n.handle("j", "r", "t", {}, "ts"); print("null ok")
q = QueueOutputHandler(); print(hasattr(q, "queue"))
