from routilux import *
from routilux.job_state import JobState
import time, json

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self, label="p", **slot_kw):
        super().__init__()
        self.label = label
        self.input_slot = self.define_slot("input", handler=self.show, **slot_kw)
    def show(self, **kw):
        print(self.label, kw)

def wait(flow, js):
    ok = JobState.wait_for_completion(flow, js, timeout=10)
    return ok

class E(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go)
    def go(self, a, b=2): print("a", a, "b", b)
class E2(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go)
    def go(self, data): print("data", data)
class E3(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go)
    def go(self): print("no args")
for cls, params in [(E, {"a": 1}), (E, {"a": 1, "b": 5}), (E2, {"x": 1}), (E3, {}), (E3, None), (E, {"zz": 1})]:
    f = Flow(flow_id="ep"); f.add_routine(cls(), "e")
    js = f.execute("e", entry_params=params); wait(f, js)
    print(cls.__name__, js.status, (js.get_routine_state("e") or {}).get("status"))
