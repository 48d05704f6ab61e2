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

class NoTrig(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=lambda **kw: print("x"))
f = Flow(flow_id="nt"); f.add_routine(NoTrig(), "n")
try:
    js = f.execute("n")
    print("returned", js.status, json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "error_time"} for k, v in js.routine_states.items()}, sort_keys=True))
except Exception as e:
    print("raised", type(e).__name__)
try:
    f.execute("missing")
except ValueError as e:
    print("VE")
