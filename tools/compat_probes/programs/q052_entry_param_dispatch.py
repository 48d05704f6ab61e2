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

class E1(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, data=None):
        print("E1", data)
class E2(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, name, count=1):
        print("E2", name, count)
class E3(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, value):
        print("E3", value)
for cls, params in [(E1, {"data": [1]}), (E1, {"x": 1}), (E1, None), (E2, {"name": "n", "count": 3}), (E2, {"name": "n", "other": 1}), (E3, {"value": 9}), (E3, {"v": 1, "w": 2})]:
    f = Flow(flow_id="ep"); f.add_routine(cls(), "e")
    js = f.execute("e", entry_params=params); wait(f, js)
    print(cls.__name__, js.status, js.get_routine_state("e"), [r.data for r in js.execution_history])
