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

class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print("P", sorted(kw.items()))
class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, items=(), **kw):
        for t in items:
            self.emit("out", data=t)
t = DataTransformer(); t.set_config(transformations=["strip_whitespace", "uppercase"])
t.register_transformation("exclaim", lambda x: x + "!" if isinstance(x, str) else x)
f = Flow(flow_id="dt")
f.add_routine(S(), "s"); f.add_routine(t, "t"); f.add_routine(P(), "p")
f.connect("s", "out", "t", "input"); f.connect("t", "output", "p", "input")
js = f.execute("s", entry_params={"items": ["  hello ", 5, {"a": " x "}]}); wait(f, js)
t.set_config(transformations=["exclaim", "unknown_one"])
js = f.execute("s", entry_params={"items": ["hey"]}); wait(f, js)
print(js.status, sorted(t.get_config("transformation_map")))
