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
flow = Flow(flow_id="opts", execution_strategy="concurrent", max_workers=4, execution_timeout=12.5)
print(flow.flow_id, flow.execution_strategy, flow.max_workers, flow.execution_timeout)
f2 = Flow()
print(f2.execution_strategy, f2.max_workers, f2.execution_timeout, type(f2.flow_id).__name__)
flow.set_execution_strategy("sequential")
print(flow.execution_strategy, flow.max_workers)
flow.set_execution_strategy("concurrent", max_workers=2)
print(flow.execution_strategy, flow.max_workers)
for bad in ("parallel", "SEQUENTIAL"):
    try:
        Flow(flow_id="x", execution_strategy=bad)
        print(bad, "accepted")
    except ValueError as e:
        print(bad, "ValueError:", e)
flow.add_routine(Src(), "src"); flow.add_routine(Printer(), "p")
flow.connect("src", "out", "p", "input")
js = flow.execute("src", entry_params={"items": [1]}, timeout=3.0, execution_strategy="sequential")
wait(flow, js)
print(js.status, flow.execution_strategy)
