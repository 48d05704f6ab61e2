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

import datetime as dt
class E(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, data=None, **kw):
        print("  E got", type(data).__name__, data if not isinstance(data, set) else sorted(data))
for val in [(1, 2), {1, 2}, dt.datetime(2020, 1, 1, 12, 0), [(1, 2)], {"k": (3,)}]:
    f = Flow(flow_id="epo"); f.add_routine(E(), "e")
    js = f.execute("e", entry_params={"data": val}); wait(f, js)
    print(js.status, type(js.execution_history[0].data["data"]).__name__)
