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

class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, extracted_result=None, format=None, confidence=None, **kw):
        print("P", repr(extracted_result), format, confidence)
class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, items=(), **kw):
        for t in items:
            self.emit("out", data=t)
for strat in ["auto", "first_match", "all"]:
    e = ResultExtractor(); e.set_config(strategy=strat)
    f = Flow(flow_id="es"); f.add_routine(S(), "s"); f.add_routine(e, "e"); f.add_routine(P(), "p")
    f.connect("s", "out", "e", "input"); f.connect("e", "output", "p", "input")
    js = f.execute("s", entry_params={"items": ['Here: ```json\n{"k": [1, 2]}\n``` done', '[1, 2]', "```yaml\na: 1\n```"]}); wait(f, js)
    print(strat, js.status)
