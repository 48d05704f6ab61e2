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

class Tag(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, x=None, **kw):
        ctx = self.get_execution_context()
        ctx.job_state.append_to_shared_log({"who": ctx.routine_id, "x": x})
f = Flow(flow_id="fo")
f.add_routine(Src(), "s")
for n in ["a", "b", "c"]:
    f.add_routine(Tag(), n); f.connect("s", "out", n, "input")
js = f.execute("s", entry_params={"items": [5]})
wait(f, js)
print(js.status, js.get_shared_log())
print(sorted(js.routine_states))
print([str(r.routine_id) + ":" + r.event_name for r in js.execution_history])
