from routilux import *
from routilux.job_state import JobState
import time, json

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self, label="p", **slot_kw):
        super().__init__()
        self.label = label
        self.input_slot = self.define_slot("input", handler=self.show, **slot_kw)
    def show(self, **kw):
        print(self.label, kw)

def wait(flow, js):
    ok = JobState.wait_for_completion(flow, js, timeout=10)
    return ok

class Ask(Routine):
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("answer", ["v"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        ctx.job_state.update_routine_state(ctx.routine_id, {"asked": True})
        self.emit_deferred_event("answer", v="yes")
        ctx.flow.pause(ctx.job_state, reason="Waiting for user input")
f = Flow(flow_id="ask"); f.add_routine(Ask(), "a"); f.add_routine(Printer("ans"), "p"); f.connect("a", "answer", "p", "input")
js = f.execute("a")
print(js.status, js.get_routine_state("a"), len(js.deferred_events))
js = f.resume(js); wait(f, js); print(js.status)
