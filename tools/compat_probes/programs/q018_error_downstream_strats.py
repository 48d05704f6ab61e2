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
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("out", ["x"])
    def h(self, x):
        if x == 2:
            raise KeyError("bad x")
        self.emit("out", x=x * 10)
for strat in ["stop", "continue", "skip", "retry", None]:
    f = Flow(flow_id="d")
    b = Bad()
    f.add_routine(Src(), "s"); f.add_routine(b, "b"); f.add_routine(Printer(), "p")
    f.connect("s", "out", "b", "input"); f.connect("b", "out", "p", "input")
    if strat:
        f.set_error_handler(ErrorHandler(strategy=strat, max_retries=1, retry_delay=0))
    js = f.execute("s", entry_params={"items": [1, 2, 3]}); wait(f, js)
    print(strat, js.status, json.dumps(js.routine_states, sort_keys=True))
    print("  ", [(r.routine_id, r.event_name, r.data) for r in js.execution_history if r.routine_id != "s"])
