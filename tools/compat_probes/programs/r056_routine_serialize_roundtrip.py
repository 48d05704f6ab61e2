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
class Worker(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h, merge_strategy="append")
        self.output_event = self.define_event("output", ["a", "b"])
    def h(self, **kw):
        pass

w = Worker()
w.set_config(threshold=0.5, labels=["x", None], nested={"k": None})
w.set_error_handler(ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=4, retry_delay=0.2, is_critical=True))
d = w.serialize()
print(sorted(d.keys()))
print(d["_config"])
print(sorted(d["_slots"].keys()), sorted(d["_events"].keys()))
eh = d["_error_handler"]
print(eh["strategy"], eh["max_retries"], eh["retry_delay"], eh["is_critical"])
w2 = Worker()
w2.deserialize(json.loads(json.dumps(d)))
print(w2.config(), w2.get_error_handler().strategy, w2.get_error_handler().max_retries, w2.get_error_handler().is_critical)
print(sorted(w2._slots), w2.get_slot("input").merge_strategy, w2.get_event("output").output_params)
