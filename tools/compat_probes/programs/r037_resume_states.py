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
class Src2(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, **kw):
        self.emit("out", x=1)

flow = Flow(flow_id="rs")
flow.add_routine(Src2(), "src")
flow.add_routine(Printer(), "p")
flow.connect("src", "out", "p", "input")
js = flow.execute("src")
wait(flow, js)
for label, job in [("completed", js)]:
    try:
        r = flow.resume(job)
        wait(flow, r)
        print(label, "resumed ->", r.status)
    except ValueError as e:
        print(label, "ValueError:", e)
js2 = flow.execute("src"); wait(flow, js2)
flow.cancel(js2, reason="stop")
try:
    r = flow.resume(js2); wait(flow, r)
    print("cancelled resumed ->", r.status)
except ValueError as e:
    print("cancelled ValueError:", e)
fresh = JobState(flow_id="rs")
try:
    r = flow.resume(fresh); wait(flow, r)
    print("pending resumed ->", r.status)
except ValueError as e:
    print("pending ValueError:", e)
ghost = JobState(flow_id="rs")
ghost.status = "paused"
ghost.current_routine_id = "ghost"
try:
    r = flow.resume(ghost); wait(flow, r)
    print("ghost resumed ->", r.status)
except ValueError as e:
    print("ghost ValueError:", e)
