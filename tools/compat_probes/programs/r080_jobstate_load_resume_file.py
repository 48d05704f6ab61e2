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
class Gate(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["n"])
    def go(self, n=1, **kw):
        ctx = self.get_execution_context()
        ctx.job_state.update_routine_state(ctx.routine_id, {"asked": n})
        self.emit_deferred_event("output", n=n + 1)
        ctx.flow.pause(ctx.job_state, reason="checkpoint", checkpoint={"n": n})

flow = Flow(flow_id="lf")
flow.add_routine(Gate(), "gate"); flow.add_routine(Printer(), "p")
flow.connect("gate", "output", "p", "input")
js = flow.execute("gate", entry_params={"n": 41})
js.save("jobs/paused.json")
loaded = JobState.load("jobs/paused.json")
print(loaded.status, loaded.get_routine_state("gate"), loaded.deferred_events[0]["data"])
print(repr(loaded) == repr(js), loaded.job_id == js.job_id)
r = flow.resume(loaded)
JobState.wait_for_completion(flow, r, timeout=5)
print(r.status, r.get_routine_state("gate"), [(x.routine_id, x.event_name, x.data) for x in r.execution_history])
r.save("jobs/done.json")
again = JobState.load("jobs/done.json")
print(again.status, len(again.execution_history))
