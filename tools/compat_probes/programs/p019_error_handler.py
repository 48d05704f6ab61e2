from routilux import *
from routilux.job_state import JobState
import time, json

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self, label="p", **slot_kw):
        super().__init__()
        self.label = label
        self.input_slot = self.define_slot("input", handler=self.show, **slot_kw)
    def show(self, **kw):
        print(self.label, kw)

def wait(flow, js):
    ok = JobState.wait_for_completion(flow, js, timeout=10)
    return ok

eh = ErrorHandler(strategy="retry", max_retries=2, retry_delay=0.5, retry_backoff=3.0, is_critical=True)
print(eh.strategy, eh.max_retries, eh.retry_delay, eh.retry_backoff, eh.is_critical, eh.retry_count)
d = eh.serialize(); print(sorted(d)); print(d["strategy"], d["max_retries"])
e2 = ErrorHandler(); e2.deserialize(d); print(e2.strategy, e2.max_retries, e2.is_critical)
eh.reset(); print(eh.retry_count)
print([s.value for s in ErrorStrategy])
print(ErrorHandler(strategy=ErrorStrategy.SKIP).strategy == ErrorStrategy.SKIP, ErrorHandler().strategy)
