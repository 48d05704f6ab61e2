from routilux import Flow, Routine
from routilux.job_state import JobState

class D(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("later", ["v"])
    def go(self, **kw):
        self.emit_deferred_event("later", v=7)

class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, v):
        print("got deferred", v)

f = Flow(flow_id="d")
f.add_routine(D(), "d"); f.add_routine(P(), "p"); f.connect("d", "later", "p", "input")
js = f.execute("d")
f.pause(js, reason="wait for user")
print(js.status, len(js.pause_points), js.pause_points[-1]["reason"], len(js.deferred_events))
js = f.resume(js)
JobState.wait_for_completion(f, js, timeout=10)
print(js.status)
print([r.event_name for r in js.execution_history])
j2 = f.execute("d")
f.cancel(j2, reason="no")
print(j2.status)
