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

import tempfile, os
class Rich(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("sum", ctx.job_state.get_shared_data("sum", 0) + x)
        ctx.job_state.append_to_shared_log({"x": x})
        ctx.job_state.update_routine_state(ctx.routine_id, {"last": x})
        self.send_output("progress", x=x)
f = Flow(flow_id="sl")
f.add_routine(Src(), "s"); f.add_routine(Rich(), "r"); f.connect("s", "out", "r", "input")
js = f.execute("s", entry_params={"items": [1, 2]}); wait(f, js)
d = tempfile.mkdtemp(); p = os.path.join(d, "state.json")
js.save(p)
raw = json.load(open(p))
print(raw["status"], raw["shared_data"], raw["routine_states"], len(raw["execution_history"]), len(raw["output_log"]))
js2 = JobState.load(p)
print(js2.status, js2.shared_data, [ {k: v for k, v in e.items() if k != "timestamp"} for e in js2.shared_log], js2.routine_states)
print([(r.routine_id, r.event_name, r.data) for r in js2.execution_history])
print([(o["routine_id"], o["output_type"], o["data"]) for o in js2.output_log])
print(js2.job_id == js.job_id, js2.flow_id, type(js2.updated_at).__name__)
