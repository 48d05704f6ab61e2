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

f = Flow(flow_id="rp")
s = Src(); p = Printer()
f.add_routine(s, "s"); f.add_routine(p, "p")
c = f.connect("s", "out", "p", "input")
print(repr(f), str(f))
print(repr(s).split("[")[0], repr(s) == "Src[%s]" % s._id)
print(repr(s.get_slot("trigger")), repr(s.get_event("out")))
print(repr(c))
js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
print(repr(js) == "JobState[%s:%s]" % (js.job_id, js.status), str(js) == repr(js))
print(repr(ErrorHandler()), ErrorStrategy.STOP, repr(ErrorStrategy.SKIP))
print(repr(js.execution_history[0]).startswith("ExecutionRecord[s.start@"))
print(s.get_slot("nope"), s.get_event("nope"))
