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

from serilux import register_serializable
@register_serializable
class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x", "y"])
    def go(self, **kw):
        self.emit("out", x=1, y=2)
@register_serializable
class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h, merge_strategy="append")
    def h(self, **kw):
        print("B", kw)
f = Flow(flow_id="ser", execution_strategy="concurrent", max_workers=3)
a = A(); a.set_config(name="alpha", n=2)
f.add_routine(a, "a"); f.add_routine(B(), "b")
f.connect("a", "out", "b", "input", param_mapping={"x": "xx"})
f.set_error_handler(ErrorHandler(strategy="continue"))
d = f.serialize()
print(sorted(d))
print(d["flow_id"], d["execution_strategy"], d["max_workers"], sorted(d["routines"]), d["error_handler"]["strategy"])
print(d["routines"]["a"]["_config"], sorted(d["routines"]["a"]["_slots"]), sorted(d["routines"]["a"]["_events"]))
print([(c.get("param_mapping")) for c in d["connections"]])
f2 = Flow(); f2.deserialize(json.loads(json.dumps(d)))
print(f2.flow_id, f2.execution_strategy, f2.max_workers, sorted(f2.routines), len(f2.connections), f2.error_handler.strategy)
print(type(f2.routines["a"]).__name__, f2.routines["a"].get_config("name"), f2.connections[0].param_mapping)
js = f2.execute("a"); wait(f2, js); print(js.status); f2.shutdown()
f.shutdown()
