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
class R(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.plain = self.define_slot("plain")
        self.ev0 = self.define_event("bare")
        self.ev1 = self.define_event("full", ["a", "b"])
    def go(self, **kw):
        self.emit("bare", anything=1, other="x")

r = R()
print(r.trigger_slot.merge_strategy, r.plain.handler, r.trigger_slot.handler.__name__)
print(r.ev0.output_params, r.ev1.output_params, r.ev0.name)
print(sorted(r._slots), sorted(r._events))
print(Flow(flow_id="c", execution_strategy="concurrent").max_workers)
flow = Flow(flow_id="attrs")
flow.add_routine(r, "r")
js = flow.execute("r"); wait(flow, js)
print(js.status, [(x.event_name, x.data) for x in js.execution_history])
print(sorted(flow.routines), flow.flow_id, flow.error_handler)
