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
import time as _t
class Slow(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, x):
        _t.sleep(1.5)
        self.get_execution_context().job_state.update_shared_data("done", x)

flow = Flow(flow_id="slow")
flow.add_routine(Src(), "src"); flow.add_routine(Slow(), "slow")
flow.connect("src", "out", "slow", "input")
js = flow.execute("src", entry_params={"items": [1]})
ok = JobState.wait_for_completion(flow, js, timeout=0.2)
print(ok, js.status, js.shared_data)
ok = JobState.wait_for_completion(flow, js, timeout=10)
print(ok, js.status, js.shared_data)
