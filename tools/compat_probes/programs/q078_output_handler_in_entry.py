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
got = []
class Entry(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, mode="queue", **kw):
        ctx = self.get_execution_context()
        h = QueueOutputHandler(q) if mode == "queue" else CallbackOutputHandler(lambda job_id, routine_id, output_type, data, timestamp=None: got.append((routine_id, output_type, data)))
        ctx.job_state.set_output_handler(h)
        self.send_output("status", msg="starting")
        self.emit("out", x=1)
class Down(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        self.send_output("result", value=x * 10)
for mode in ["queue", "callback"]:
    f = Flow(flow_id="oe"); f.add_routine(Entry(), "e"); f.add_routine(Down(), "d"); f.connect("e", "out", "d", "input")
    js = f.execute("e", entry_params={"mode": mode}); wait(f, js)
    print(mode, js.status, [(o["routine_id"], o["output_type"], o["data"]) for o in js.output_log])
items = []
while not q.empty():
    it = q.get(); items.append({k: v for k, v in it.items() if k not in ("timestamp", "job_id")})
print(items)
print(got)
