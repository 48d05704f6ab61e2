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
    def __init__(self, exc):
        super().__init__(); self.exc = exc
        self.define_slot("input", handler=self.h)
    def h(self, x):
        Bad.calls += 1
        raise self.exc("nope")
for exc in [ValueError, TypeError]:
    Bad.calls = 0
    b = Bad(exc)
    b.set_error_handler(ErrorHandler(strategy="retry", max_retries=2, retry_delay=0.0, retryable_exceptions=(ValueError,)))
    f = Flow(flow_id="rx"); f.add_routine(Src(), "s"); f.add_routine(b, "b"); f.connect("s", "out", "b", "input")
    js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
    print(exc.__name__, js.status, Bad.calls, json.dumps(js.routine_states, sort_keys=True), b.get_error_handler().retry_count)
