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
flow = Flow(flow_id="sd")
flow.add_routine(Src(), "src"); flow.add_routine(Printer(), "p")
flow.connect("src", "out", "p", "input")
js = flow.execute("src", entry_params={"items": [1]}); wait(flow, js)
flow.shutdown(wait=True)
print("shut", js.status)
try:
    js2 = flow.execute("src", entry_params={"items": [2]})
    ok = wait(flow, js2)
    print("after shutdown:", ok, js2.status)
except Exception as e:
    print(type(e).__name__, e)
flow.shutdown(wait=True, timeout=2.0)
flow.shutdown()
print("shutdown twice ok")
