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
class NoTrigger(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
        self.output_event = self.define_event("output", ["x"])
    def h(self, **kw):
        self.emit("output", x=1)

flow = Flow(flow_id="nt")
flow.add_routine(NoTrigger(), "nt")
js = flow.execute("nt"); wait(flow, js)
print(js.status)
st = js.get_routine_state("nt")
print(sorted(st.keys()), st.get("status"))
print(st.get("error"))
print([(r.routine_id, r.event_name, sorted(r.data.items())) for r in js.execution_history])
