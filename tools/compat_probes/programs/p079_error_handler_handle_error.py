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

eh = ErrorHandler(strategy="retry", max_retries=2, retry_delay=0.01)
r = Routine()
try:
    res = [eh.handle_error(ValueError("x"), r, "r", None) for _ in range(3)]
    print(res, eh.retry_count)
except Exception as e:
    print(type(e).__name__)
eh2 = ErrorHandler(strategy="continue")
try:
    print(eh2.handle_error(ValueError("x"), r, "r", None))
except Exception as e:
    print(type(e).__name__)
js = JobState("f")
for strat in ["stop", "continue", "skip"]:
    print(strat, ErrorHandler(strategy=strat).handle_error(KeyError("k"), r, "r", None, job_state=js))
print([(x.event_name, x.data) for x in js.execution_history], js.get_routine_state("r"))
c = ErrorHandler(strategy="retry", max_retries=1, retry_delay=0.01, is_critical=True)
print([c.handle_error(ValueError("x"), r, "r", None) for _ in range(2)])
n = ErrorHandler(strategy="retry", retryable_exceptions=(KeyError,), retry_delay=0.01)
print(n.handle_error(ValueError("x"), r, "r", None), n.retry_count)
