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

eh = ErrorHandler(strategy="retry")
print(eh.strategy == ErrorStrategy.RETRY, eh.strategy.value == "retry", eh.strategy == "retry", str(eh.strategy), eh.strategy.name)
print(ErrorStrategy.STOP in [ErrorStrategy.STOP], isinstance(ErrorStrategy.STOP, str), f"{ErrorStrategy.SKIP}", "%s" % ErrorStrategy.CONTINUE)
print(sorted(s.name for s in ErrorStrategy), {ErrorStrategy.SKIP: 1})
try:
    ErrorHandler(strategy="explode"); print("ok")
except ValueError:
    print("VE")
