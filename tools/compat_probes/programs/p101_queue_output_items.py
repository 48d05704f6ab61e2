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
js = JobState("f"); js.set_output_handler(QueueOutputHandler(q))
js.send_output("r", "t", {"a": 1})
item = q.get_nowait()
print(type(item).__name__, sorted(item) if isinstance(item, dict) else item[:0])
print({k: v for k, v in item.items() if k not in ("timestamp", "job_id")} if isinstance(item, dict) else None)
