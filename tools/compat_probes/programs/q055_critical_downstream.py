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

class Bad(Routine):
    calls = 0
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        Bad.calls += 1
        raise RuntimeError("critical down")
for mode in ["critical", "optional"]:
    Bad.calls = 0
    b = Bad()
    if mode == "critical":
        b.set_as_critical(max_retries=2, retry_delay=0.0)
    else:
        b.set_as_optional()
    f = Flow(flow_id="cd"); f.add_routine(Src(), "s"); f.add_routine(b, "b"); f.connect("s", "out", "b", "input")
    js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
    print(mode, js.status, Bad.calls, json.dumps(js.routine_states, sort_keys=True))
    print("  ", [(r.routine_id, r.event_name, r.data) for r in js.execution_history])
