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
class O(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, **kw):
        self.send_output("result", value=42, note="x")
        self.send_output("progress", pct=100)
f = Flow(flow_id="o"); f.add_routine(O(), "o")
js = f.execute("o"); wait(f, js)
print(js.status, [{k: v for k, v in e.items() if k != "timestamp"} for e in js.output_log])
q = queue.Queue()
js2 = JobState(flow_id="o")
js2.set_output_handler(QueueOutputHandler(q))
got = []
js3 = JobState(flow_id="o"); js3.set_output_handler(CallbackOutputHandler(lambda *a, **k: got.append((a, k))))
js3.send_output("r", "t", {"a": 1}) if True else None
print(got[:1] and (len(got), type(got[0][0])))
js2.send_output("r", "t", {"a": 1})
item = q.get_nowait(); print(sorted(item) if isinstance(item, dict) else item)
print(js3.output_log[:1] and sorted(js3.output_log[0]))
