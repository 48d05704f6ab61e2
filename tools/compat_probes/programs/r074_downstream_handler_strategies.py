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
from routilux import ErrorHandler, ErrorStrategy
calls = []
class Bad(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, x):
        calls.append(x)
        raise RuntimeError(f"bad {x}")

for strat in (ErrorStrategy.STOP, ErrorStrategy.CONTINUE, ErrorStrategy.SKIP, ErrorStrategy.RETRY):
    calls.clear()
    flow = Flow(flow_id="dh")
    b = Bad(); b.set_error_handler(ErrorHandler(strategy=strat, max_retries=2, retry_delay=0.0))
    flow.add_routine(Src(), "src"); flow.add_routine(b, "b")
    flow.connect("src", "out", "b", "input")
    js = flow.execute("src", entry_params={"items": [1, 2]}); wait(flow, js)
    print(strat.value, js.status, len(calls), js.get_routine_state("b"))
    print("  ", [(r.routine_id, r.event_name, sorted(r.data)) for r in js.execution_history])
