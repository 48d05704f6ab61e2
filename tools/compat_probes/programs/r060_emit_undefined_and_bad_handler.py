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
class Emitter(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("output", ["x"])
    def go(self, which="output", **kw):
        self.emit(which, x=1)

class Strict(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
    def h(self, y):
        print("strict got", y)

flow = Flow(flow_id="eu")
flow.add_routine(Emitter(), "e"); flow.add_routine(Strict(), "s")
flow.connect("e", "output", "s", "input")
js = flow.execute("e", entry_params={"which": "outptu"}); wait(flow, js)
print(js.status, js.get_routine_state("e").get("status"), js.get_routine_state("e").get("error"))
js = flow.execute("e"); wait(flow, js)
print(js.status, js.get_routine_state("s"))
print([(r.routine_id, r.event_name, sorted(r.data.items())) for r in js.execution_history])
