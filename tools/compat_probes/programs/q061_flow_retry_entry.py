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

class E(Routine):
    calls = 0
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, **kw):
        E.calls += 1
        raise IOError("disk")
for mr in [0, 1, 3]:
    E.calls = 0
    f = Flow(flow_id="fre"); f.add_routine(E(), "e")
    f.set_error_handler(ErrorHandler(strategy="retry", max_retries=mr, retry_delay=0.0))
    js = f.execute("e"); wait(f, js)
    st = dict(js.get_routine_state("e")); st.pop("error_time", None)
    print(mr, js.status, E.calls, st, [(r.event_name, r.data) for r in js.execution_history])
