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
class P(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)

    def process(self, **kwargs):
        ctx = self.get_execution_context()
        job_state = ctx.job_state
        job_state.update_routine_state(self._id, {"processed": True})
        job_state.update_routine_state(ctx.routine_id, {"processed": True, "x": kwargs.get("x")})

flow = Flow(flow_id="selfid")
flow.add_routine(Src(), "src")
p = P()
flow.add_routine(p, "proc")
flow.connect("src", "out", "proc", "input")
js = flow.execute("src", entry_params={"items": [5]})
wait(flow, js)
print(js.status)
print(sorted(js.routine_states.keys()))
print(js.get_routine_state(p._id), js.get_routine_state("proc"))
print(p._id.startswith("0x"), p._id == hex(id(p)))
