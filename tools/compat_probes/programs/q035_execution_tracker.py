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

class Work(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("out", ["x"])
    def h(self, x):
        self.emit("out", x=x + 1)
f = Flow(flow_id="tr")
f.add_routine(Src(), "s"); f.add_routine(Work(), "w"); f.add_routine(Printer(), "p")
f.connect("s", "out", "w", "input"); f.connect("w", "out", "p", "input")
print(f.execution_tracker)
js = f.execute("s", entry_params={"items": [1, 2]}); wait(f, js)
t = f.execution_tracker
print(type(t).__name__, t.flow_id)
print(sorted(t.routine_executions), {k: len(v) for k, v in t.routine_executions.items()})
print(len(t.event_flow), [sorted(e) for e in t.event_flow[:1]])
perf = t.get_routine_performance("s")
print(sorted(perf) if perf else perf, perf and perf["total_executions"], perf and perf["success_rate"])
print(t.get_routine_performance("w"), t.get_routine_performance("p"))
fp = t.get_flow_performance(); print(sorted(fp), fp["total_routines"], fp["total_events"])
