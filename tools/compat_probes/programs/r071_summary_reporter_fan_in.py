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
class Stats(Routine):
    def __init__(self, key):
        super().__init__()
        self.set_config(key=key)
        self.input_slot = self.define_slot("input", handler=self.h)
        self.output_event = self.define_event("done", ["key", "value"])
    def h(self, x):
        key = self.get_config("key")
        ctx = self.get_execution_context()
        vals = ctx.job_state.get_shared_data(key, []) + [x]
        ctx.job_state.update_shared_data(key, vals)
        self.emit("done", key=key, value=sum(vals))

class Report(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h, merge_strategy="append")
    def h(self, key=None, value=None, **kw):
        print("report", key, value)

flow = Flow(flow_id="fanin")
flow.add_routine(Src(), "src")
flow.add_routine(Stats("a"), "a"); flow.add_routine(Stats("b"), "b"); flow.add_routine(Report(), "r")
flow.connect("src", "out", "a", "input"); flow.connect("src", "out", "b", "input")
flow.connect("a", "done", "r", "input"); flow.connect("b", "done", "r", "input")
js = flow.execute("src", entry_params={"items": [1, 2]}); wait(flow, js)
print(js.status, sorted(js.shared_data.items()))
