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
    n = 0
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        Flaky.n += 1
        if Flaky.n % 2 == 1:
            raise ValueError("odd")
        print("ok", x)
eh = ErrorHandler(strategy="retry", max_retries=3, retry_delay=0.0)
f = Flow(flow_id="sh"); fl = Flaky(); fl.set_error_handler(eh)
f.add_routine(Src(), "s"); f.add_routine(fl, "f"); f.connect("s", "out", "f", "input")
for items in ([1, 2], [3]):
    js = f.execute("s", entry_params={"items": items}); wait(f, js)
    print(js.status, eh.retry_count, Flaky.n, json.dumps(js.routine_states, sort_keys=True))
print(fl.get_error_handler() is eh)
