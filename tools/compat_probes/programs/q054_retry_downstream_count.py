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

class Flaky(Routine):
    attempts = 0
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("out", ["x"])
    def h(self, x):
        Flaky.attempts += 1
        if Flaky.attempts < 3:
            raise ConnectionError("try again")
        self.emit("out", x=x)
f = Flow(flow_id="rd")
fl = Flaky()
fl.set_error_handler(ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=5, retry_delay=0.01, retry_backoff=1.0))
f.add_routine(Src(), "s"); f.add_routine(fl, "f"); f.add_routine(Printer(), "p")
f.connect("s", "out", "f", "input"); f.connect("f", "out", "p", "input")
js = f.execute("s", entry_params={"items": [7]}); wait(f, js)
print(js.status, Flaky.attempts, json.dumps(js.routine_states, sort_keys=True))
print([(r.routine_id, r.event_name, r.data) for r in js.execution_history])
print(fl.get_error_handler().retry_count)
