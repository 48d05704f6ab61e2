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
class Rep(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, n=2, **kw):
        for i in range(n):
            self.send_output("progress", step=i, total=n)
        self.send_output("done", ok=True)
q = queue.Queue()
f = Flow(flow_id="oh"); f.add_routine(Rep(), "r")
js = JobState("oh")
print(js.output_handler)
got = []
for h in [QueueOutputHandler(q), CallbackOutputHandler(lambda job_id, routine_id, output_type, data: got.append((routine_id, output_type, data))), NullOutputHandler()]:
    f2 = Flow(flow_id="oh2"); f2.add_routine(Rep(), "r")
    js = f2.execute("r", entry_params={"n": 2}); wait(f2, js)
    print(type(h).__name__, [(e["routine_id"], e["output_type"], e["data"]) for e in js.output_log], sorted(js.output_log[0]))
while not q.empty():
    print("q", q.get())
print(got)
