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

class Counter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("output", ["x"])
    def h(self, x):
        ctx = self.get_execution_context()
        js = ctx.job_state
        js.update_shared_data("count", js.get_shared_data("count", 0) + 1)
        js.update_shared_data("seen", js.get_shared_data("seen", []) + [x])
        js.append_to_shared_log({"routine": ctx.routine_id, "x": x})
        self.emit("output", x=x)
f = Flow(flow_id="sh")
f.add_routine(Src(), "s"); f.add_routine(Counter(), "c"); f.connect("s", "out", "c", "input")
js = f.execute("s", entry_params={"items": [3, 1, 2]}); wait(f, js)
print(js.shared_data)
print([{k: v for k, v in e.items() if k != "timestamp"} for e in js.get_shared_log()])
print(sorted(js.get_shared_log()[0]), type(js.get_shared_log()[0]["timestamp"]).__name__)
print(js.get_shared_log(lambda e: e["x"] > 1) == [e for e in js.shared_log if e["x"] > 1])
print(js.get_shared_data("missing"), js.get_shared_data("missing", "dflt"))
print([(r.routine_id, r.event_name, r.data) for r in js.get_execution_history("c")])
