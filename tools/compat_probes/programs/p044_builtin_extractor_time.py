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

re_ = ResultExtractor()
tp = TimeProvider()
class T(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("out", ["data"]); self.define_event("tick", [])
    def go(self, data=None, **kw): self.emit("out", data=data); self.emit("tick")
class K(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("input", handler=self.h)
    def h(self, **kw): print("time keys", sorted(kw))
f = Flow(flow_id="et")
f.add_routine(T(), "t"); f.add_routine(re_, "re"); f.add_routine(tp, "tp"); f.add_routine(Printer("re"), "p"); f.add_routine(K(), "k")
f.connect("t", "out", "re", "input"); f.connect("re", "output", "p", "input")
f.connect("t", "tick", "tp", "trigger"); f.connect("tp", "output", "k", "input")
js = f.execute("t", entry_params={"data": '{"a": 1}'}); wait(f, js); print(js.status)
js = f.execute("t", entry_params={"data": "```json\n[1,2]\n```"}); wait(f, js); print(js.status)
print(sorted(tp.get_slot("trigger").name for _ in [0]), list(tp._slots), list(re_._slots), list(tp._events))
