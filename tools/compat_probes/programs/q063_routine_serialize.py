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
        self.set_config(a=1)
        self.define_slot("input", handler=self.h, merge_strategy="append")
        self.define_event("out", ["p", "q"])
    def h(self, **kw):
        pass
r = R()
r.set_error_handler(ErrorHandler(strategy="skip"))
d = r.serialize()
print(sorted(d), d["_type"], d["_config"], d["_id"] == r._id)
print(sorted(d["_slots"]["input"]), d["_slots"]["input"]["name"], d["_slots"]["input"]["merge_strategy"])
print(sorted(d["_events"]["out"]), d["_events"]["out"]["output_params"])
print(d["_error_handler"]["strategy"] if d.get("_error_handler") else None)
r2 = R(); r2.deserialize(json.loads(json.dumps(d)))
print(r2._id == r._id, r2.get_config("a"), r2.get_error_handler().strategy if r2.get_error_handler() else None, sorted(r2._slots), sorted(r2._events))
