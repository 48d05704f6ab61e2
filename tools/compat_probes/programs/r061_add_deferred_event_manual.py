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
class Gate(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])
        self.other = self.define_event("other", ["n"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        self.emit_deferred_event("output", data="first")
        self.emit_deferred_event("other", n=2)
        self.emit_deferred_event("output", data="third")
        ctx.flow.pause(ctx.job_state, reason="wait")

flow = Flow(flow_id="dfr")
flow.add_routine(Gate(), "g"); flow.add_routine(Printer(), "p"); flow.add_routine(Printer(), "p2")
flow.connect("g", "output", "p", "input"); flow.connect("g", "other", "p2", "input")
js = flow.execute("g")
print(js.status, [(e["event_name"], e["data"]) for e in js.deferred_events])
print(sorted(js.deferred_events[0].keys()))
js.add_deferred_event("g", "output", {"data": "manual"})
print(len(js.deferred_events))
r = flow.resume(js)
wait(flow, r)
print(r.status, r.deferred_events)
print([(x.routine_id, x.event_name, x.data) for x in r.execution_history])
