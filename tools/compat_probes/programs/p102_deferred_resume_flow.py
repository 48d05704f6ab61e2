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
        super().__init__(); self.define_slot("trigger", handler=self.go); self.define_event("go_on", ["answer"])
    def go(self, **kw):
        self.emit_deferred_event("go_on", answer="default")
        ctx = self.get_execution_context()
        ctx.flow.pause(ctx.job_state, reason="need input")
f = Flow(flow_id="dr"); f.add_routine(Ask(), "a"); f.add_routine(Printer("answer"), "p"); f.connect("a", "go_on", "p", "input")
js = f.execute("a")
print(js.status, [e["event_name"] for e in js.deferred_events], js.pause_points[-1]["reason"])
data = js.serialize()
j2 = JobState(); j2.deserialize(data)
j2 = f.resume(j2); wait(f, j2); print(j2.status, j2.deferred_events)
