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

import queue
q = queue.Queue()
js = JobState("x")
js.set_output_handler(QueueOutputHandler(q))
js.send_output("r1", "log", {"msg": "a"})
js.send_output("r2", "result", {"v": 2})
items = []
while not q.empty():
    items.append(q.get())
print([sorted(i) if isinstance(i, dict) else i for i in items])
print([{k: v for k, v in i.items() if k != "timestamp" and k != "job_id"} for i in items])
print([{k: v for k, v in e.items() if k != "timestamp"} for e in js.output_log])
got = []
js.set_output_handler(CallbackOutputHandler(lambda **kw: got.append(sorted(kw))))
js.send_output("r3", "x", {})
print(got, len(js.output_log))
js.set_output_handler(None); js.send_output("r4", "y", {"a": 1}); print(len(js.output_log))
