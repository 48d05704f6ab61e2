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

class Boom(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, **kw):
        raise RuntimeError("entry failed")
b = Boom(); b.set_as_optional()
eh = b.get_error_handler()
print(eh.strategy, eh.is_critical, eh.max_retries)
f = Flow(flow_id="opt"); f.add_routine(b, "b")
js = f.execute("b"); wait(f, js)
print(js.status, js.get_routine_state("b"))
c = Boom(); c.set_as_critical(max_retries=2, retry_delay=0.0)
eh = c.get_error_handler()
print(eh.strategy, eh.is_critical, eh.max_retries, eh.retry_delay)
f2 = Flow(flow_id="crit"); f2.add_routine(c, "c")
js = f2.execute("c"); wait(f2, js)
print(js.status, sorted(js.get_routine_state("c")), js.get_routine_state("c")["status"], eh.retry_count)
d = Boom(); d.set_as_optional(ErrorStrategy.SKIP)
print(d.get_error_handler().strategy, d.get_error_handler().is_critical)
f3 = Flow(flow_id="skip"); f3.add_routine(d, "d")
js = f3.execute("d"); wait(f3, js); print(js.status, js.get_routine_state("d"))
