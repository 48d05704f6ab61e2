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
    def __init__(self, name):
        super().__init__(); self.name = name
        self.define_slot("input", handler=self.h)
        self.define_event("out", ["x"])
    def h(self, x):
        raise ValueError(self.name)
f = Flow(flow_id="pri")
f.add_routine(Src(), "s"); b1 = Bad("b1"); b2 = Bad("b2")
f.add_routine(b1, "b1"); f.add_routine(b2, "b2")
f.connect("s", "out", "b1", "input"); f.connect("s", "out", "b2", "input")
f.set_error_handler(ErrorHandler(strategy="continue"))
b2.set_error_handler(ErrorHandler(strategy="skip"))
js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
print(js.status, json.dumps(js.routine_states, sort_keys=True))
print(sorted((r.routine_id, r.event_name, json.dumps(r.data, sort_keys=True)) for r in js.execution_history))
print(f.error_handler.strategy, b1.get_error_handler(), b2.get_error_handler().strategy)
