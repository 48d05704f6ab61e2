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

eh = ErrorHandler()
print(eh.strategy, eh.max_retries, eh.retry_delay, eh.retry_backoff, eh.is_critical, eh.retry_count)
eh2 = ErrorHandler(strategy="retry", max_retries=5, retry_delay=0.5, retry_backoff=1.5, retryable_exceptions=(ValueError,))
print(eh2.strategy, eh2.strategy.value, eh2.max_retries, eh2.retry_delay, eh2.retry_backoff)
d = eh2.serialize()
print(sorted(d), d["strategy"], d["max_retries"])
eh3 = ErrorHandler(); eh3.deserialize(d)
print(eh3.strategy, eh3.max_retries, eh3.retry_backoff)
print([s.value for s in ErrorStrategy], ErrorStrategy("skip"), ErrorStrategy.RETRY == "retry")
eh2.retry_count = 3; eh2.reset(); print(eh2.retry_count)
