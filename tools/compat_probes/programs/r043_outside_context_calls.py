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
class R(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["data"])
    def go(self, **kw):
        pass

r = R()
print(r.get_execution_context())
for name, call in [("send_output", lambda: r.send_output("status", x=1)),
                   ("emit_deferred_event", lambda: r.emit_deferred_event("output", data=1)),
                   ("emit", lambda: r.emit("output", data=1))]:
    try:
        res = call()
        print(name, "->", res)
    except Exception as e:
        print(name, type(e).__name__, e)
flow = Flow(flow_id="oc")
flow.add_routine(r, "r")
print(r.get_execution_context())
js = flow.execute("r"); wait(flow, js)
print(r.get_execution_context(), js.status)
