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
    def __init__(self, tag):
        super().__init__(); self.tag = tag
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print(self.tag, sorted(kw.items()))
class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, items=(), **kw):
        for t in items:
            self.emit("out", data=t)
for strict, extra in [(False, True), (True, False), (True, True)]:
    v = DataValidator()
    v.set_config(rules={"a": "is_int", "b": "not_empty"}, required_fields=["a"], strict_mode=strict, allow_extra_fields=extra)
    f = Flow(flow_id="vm")
    f.add_routine(S(), "s"); f.add_routine(v, "v"); f.add_routine(P("OK"), "ok"); f.add_routine(P("BAD"), "bad")
    f.connect("s", "out", "v", "input"); f.connect("v", "valid", "ok", "input"); f.connect("v", "invalid", "bad", "input")
    js = f.execute("s", entry_params={"items": [{"a": 1, "b": ""}, {"a": "x", "c": 1}, {"a": 2, "b": "y", "z": 0}]}); wait(f, js)
    print(strict, extra, js.status)
