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
q = queue.Queue()
class O(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, x): self.send_output("item", x=x)
f = Flow(flow_id="oh"); f.add_routine(Src(), "s"); f.add_routine(O(), "o"); f.connect("s", "out", "o", "input")
js = JobState(flow_id="oh")
try:
    js = f.execute("s", job_state=js)
except TypeError as e:
    js = f.execute("s")
js.set_output_handler(QueueOutputHandler(q))
wait(f, js)
items = []
while not q.empty(): items.append(q.get())
print(js.status, len(js.output_log))
