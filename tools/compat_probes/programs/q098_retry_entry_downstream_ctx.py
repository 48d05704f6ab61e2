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
    n = 0
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, **kw):
        Boom.n += 1
        if Boom.n < 2:
            raise ValueError("first fails")
        self.emit("out", x=Boom.n)
class Down(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        ctx = self.get_execution_context()
        print("down ctx", ctx is not None)
        if ctx:
            ctx.job_state.update_shared_data("x", x)
b = Boom(); b.set_error_handler(ErrorHandler(strategy="retry", max_retries=2, retry_delay=0))
f = Flow(flow_id="rc"); f.add_routine(b, "b"); f.add_routine(Down(), "d"); f.connect("b", "out", "d", "input")
js = f.execute("b"); wait(f, js)
print(js.status, js.shared_data, sorted(js.routine_states))
