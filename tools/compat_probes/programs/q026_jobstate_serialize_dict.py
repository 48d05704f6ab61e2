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

class St(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, **kw):
        ctx = self.get_execution_context()
        ctx.job_state.update_routine_state(ctx.routine_id, {"count": 3, "items": ["a", "b"]})
        ctx.job_state.update_shared_data("k", {"v": 1})
        ctx.job_state.append_to_shared_log({"e": 1})
f = Flow(flow_id="sd"); f.add_routine(St(), "st")
js = f.execute("st"); wait(f, js)
d = js.serialize()
for k in ["flow_id", "status", "current_routine_id", "routine_states", "pause_points", "pending_tasks", "deferred_events", "shared_data", "shared_log", "output_log"]:
    print(k, d[k])
print(d["_type"], type(d["created_at"]).__name__, sorted(d["execution_history"][0]))
js2 = JobState(); js2.deserialize(json.loads(json.dumps(d)))
print(js2.status, js2.routine_states, js2.shared_data, js2.shared_log, js2.job_id == js.job_id, type(js2.created_at).__name__)
print(js2.get_routine_state("st"), js2.get_shared_data("k"), [type(r).__name__ for r in js2.execution_history])
