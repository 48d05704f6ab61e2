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

try:
    from serilux import register_serializable
    register_serializable(Src)
except ImportError:
    pass
f = Flow(flow_id="eh"); s = Src(); s.set_error_handler(ErrorHandler(strategy="retry", max_retries=4, is_critical=True)); f.add_routine(s, "s")
f.set_error_handler(ErrorHandler(strategy="skip"))
d = f.serialize()
f2 = Flow(); f2.deserialize(d)
eh = f2.routines["s"].get_error_handler()
print(eh.strategy, eh.max_retries, eh.is_critical, f2.error_handler.strategy)
