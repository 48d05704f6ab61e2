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

class W(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, **kw):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("a", 1)
        ctx.job_state.append_to_shared_log({"msg": "hi"})
        self.emit("out", x=1)
class R(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.go)
    def go(self, x):
        ctx = self.get_execution_context()
        print("a=", ctx.job_state.get_shared_data("a"), ctx.job_state.get_shared_data("b", "none"))
        ctx.job_state.update_shared_data("b", x + 1)
        ctx.job_state.append_to_shared_log({"msg": "bye", "x": x})
f = Flow(flow_id="sh"); f.add_routine(W(), "w"); f.add_routine(R(), "r"); f.connect("w", "out", "r", "input")
js = f.execute("w"); wait(f, js)
print(js.shared_data)
print([{k: v for k, v in e.items() if k != "timestamp"} for e in js.get_shared_log()])
print(js.shared_log == js.get_shared_log(), len(js.shared_log))
