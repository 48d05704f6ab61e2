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
class Slow(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])
    def go(self, **kwargs):
        ctx = self.get_execution_context()
        ctx.flow.pause(ctx.job_state, reason="step1", checkpoint={"offset": 10, "page": "a"})
        self.emit_deferred_event("output", data=1)

flow = Flow(flow_id="cp")
flow.add_routine(Slow(), "slow")
flow.add_routine(Printer(), "p")
flow.connect("slow", "output", "p", "input")
js = flow.execute("slow")
print(js.status)
pp = js.pause_points
print(len(pp), sorted(pp[0].keys()))
print(pp[0]["reason"], pp[0]["checkpoint"], pp[0].get("current_routine_id"))
flow.pause(js, reason="again", checkpoint={"n": 2})
print(len(js.pause_points), js.pause_points[-1]["checkpoint"], js.status)
r = flow.resume(js)
wait(flow, r)
print(r.status, len(r.pause_points), r.deferred_events)
