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
flow = Flow(flow_id="wk")
flow.add_routine(Src(), "src"); flow.add_routine(Printer(), "p")
flow.connect("src", "out", "p", "input")
js = flow.execute("src", entry_params={"items": [7]})
ok = JobState.wait_for_completion(flow, js, timeout=5.0, stability_checks=2, check_interval=0.05)
print(ok, js.status)
js = flow.execute("src", entry_params={"items": [8]})
ok = JobState.wait_for_completion(flow=flow, job_state=js, timeout=5.0)
print(ok, js.status)
calls = []
js = flow.execute("src", entry_params={"items": [9]})
ok = JobState.wait_for_completion(flow, js, timeout=5.0, progress_callback=lambda *a: calls.append(len(a)))
print(ok, js.status, bool(calls), sorted(set(calls)))
