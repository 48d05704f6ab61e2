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

class Bad(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, x):
        raise RuntimeError("down fail")
class StopBad(Bad):
    pass
for mode in ["nohandler", "routine_stop", "flow_stop"]:
    f = Flow(flow_id="fd")
    b = Bad()
    f.add_routine(Src(), "s"); f.add_routine(b, "b"); f.add_routine(Printer(), "p")
    f.connect("s", "out", "b", "input"); f.connect("s", "out", "p", "input")
    if mode == "routine_stop":
        b.set_error_handler(ErrorHandler(strategy="stop"))
    elif mode == "flow_stop":
        f.set_error_handler(ErrorHandler(strategy="stop"))
    js = f.execute("s", entry_params={"items": [1, 2]})
    r = wait(f, js)
    print(mode, r, js.status, json.dumps(js.routine_states, sort_keys=True))
    print("  ", [(h.routine_id, h.event_name, h.data) for h in js.execution_history])
