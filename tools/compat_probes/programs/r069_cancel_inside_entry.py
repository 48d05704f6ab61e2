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
class Entry(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        self.emit("out", x=1)
        ctx.flow.cancel(ctx.job_state, reason="enough")
        print("status in handler:", ctx.job_state.status)
        self.emit("out", x=2)

class Quiet(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, **kw):
        pass

flow = Flow(flow_id="cie")
flow.add_routine(Entry(), "e"); flow.add_routine(Quiet(), "p")
flow.connect("e", "out", "p", "input")
js = flow.execute("e")
ok = wait(flow, js, 3)
print(ok, js.status, js.get_routine_state("e"), js.routine_states.get("_cancellation"))
print([(r.routine_id, r.event_name, r.data) for r in js.execution_history])
