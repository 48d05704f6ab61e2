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

class D(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("later", ["msg"])
    def go(self, **kw):
        self.emit_deferred_event("later", msg="hello")
        print("deferred registered")
f = Flow(flow_id="de")
f.add_routine(D(), "d"); f.add_routine(Printer(), "p"); f.connect("d", "later", "p", "input")
js = f.execute("d"); wait(f, js)
print(js.status, js.deferred_events)
f.pause(js, reason="p")
print(js.status, len(js.deferred_events))
f.resume(js); wait(f, js)
print(js.status, js.deferred_events)
print([(r.routine_id, r.event_name, r.data) for r in js.execution_history])
