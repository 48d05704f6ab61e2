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

f = Flow(flow_id="me")
f.add_routine(Src(), "s"); f.add_routine(Printer(), "p"); f.connect("s", "out", "p", "input")
results = []
for items in ([1], [2, 3], []):
    js = f.execute("s", entry_params={"items": items}); wait(f, js)
    results.append(js)
    print(js.status, len(js.execution_history), [r.data for r in js.execution_history])
print(len({j.job_id for j in results}), [j.flow_id for j in results])
print(results[0].execution_history is results[1].execution_history)
