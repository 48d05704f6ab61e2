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
eh = ErrorHandler()
print(eh.strategy, eh.max_retries, eh.retry_delay, eh.retry_backoff, eh.is_critical, eh.retry_count)
print(eh.retryable_exceptions)
eh2 = ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=5, retry_delay=0.5, retry_backoff=3.0, retryable_exceptions=(ValueError,), is_critical=True)
print(eh2.strategy.value, eh2.max_retries, eh2.retry_delay, eh2.retry_backoff, eh2.retryable_exceptions, eh2.is_critical)
print([s.value for s in ErrorStrategy], ErrorStrategy("retry") is ErrorStrategy.RETRY, ErrorStrategy.SKIP.name)
r = Routine()
print(r.get_error_handler())
r.set_as_optional()
print(r.get_error_handler().strategy, r.get_error_handler().is_critical)
r.set_as_critical()
print(r.get_error_handler().strategy, r.get_error_handler().is_critical, r.get_error_handler().max_retries, r.get_error_handler().retry_delay)
