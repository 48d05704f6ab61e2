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
class Fail(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
    def go(self, **kw):
        raise IOError("no disk")

flow = Flow(flow_id="prio")
f = Fail()
flow.set_error_handler(ErrorHandler(strategy=ErrorStrategy.STOP))
f.set_error_handler(ErrorHandler(strategy=ErrorStrategy.CONTINUE))
flow.add_routine(f, "f")
js = flow.execute("f"); wait(flow, js)
print(js.status, js.get_routine_state("f"))
f.set_error_handler(None)
js = flow.execute("f"); wait(flow, js)
print(js.status, sorted(js.get_routine_state("f")), js.get_routine_state("f")["error"])
print(f.get_error_handler(), flow.error_handler.strategy)
print([(r.event_name, r.data) for r in js.execution_history])
