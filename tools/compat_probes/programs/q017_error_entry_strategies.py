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
        if Boom.n < 3:
            raise ValueError("fail %d" % Boom.n)
        self.emit("out", x=Boom.n)
for strat in [ErrorStrategy.STOP, ErrorStrategy.CONTINUE, ErrorStrategy.SKIP, ErrorStrategy.RETRY]:
    Boom.n = 0
    f = Flow(flow_id="e_" + strat.value)
    b = Boom(); f.add_routine(b, "b"); f.add_routine(Printer(), "p"); f.connect("b", "out", "p", "input")
    b.set_error_handler(ErrorHandler(strategy=strat, max_retries=3, retry_delay=0.0))
    js = f.execute("b"); wait(f, js)
    st = dict(js.get_routine_state("b") or {}); st.pop("execution_time", None)
    print(strat.value, js.status, Boom.n, st)
    print("  ", [(r.routine_id, r.event_name, sorted(r.data)) for r in js.execution_history])
    print("  ", b.get_error_handler().retry_count)
