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

class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x", "y"])
    def go(self, **kw):
        self.emit("out", x=1, y=2)
class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h, merge_strategy="append")
    def h(self, **kw):
        pass
f = Flow(flow_id="ser", execution_strategy="concurrent", max_workers=3)
a = A(); a.set_config(name="alpha", n=2)
f.add_routine(a, "a"); f.add_routine(B(), "b")
f.connect("a", "out", "b", "input", param_mapping={"x": "xx"})
f.set_error_handler(ErrorHandler(strategy="continue"))
d = f.serialize()
print(sorted(d))
print(d["flow_id"], d["execution_strategy"], d["max_workers"], sorted(d["routines"]), d["error_handler"]["strategy"], d["_paused"])
print(d["routines"]["a"]["_config"], sorted(d["routines"]["a"]["_slots"]), sorted(d["routines"]["a"]["_events"]), d["routines"]["a"]["_type"])
print(d["routines"]["b"]["_slots"]["input"]["merge_strategy"], d["routines"]["a"]["_events"]["out"]["output_params"])
print([(c.get("param_mapping")) for c in d["connections"]])
s = json.dumps(d); print(type(s).__name__)
