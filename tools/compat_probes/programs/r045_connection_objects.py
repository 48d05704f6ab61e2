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
class Numbers(Routine):
    def __init__(self):
        super().__init__()
        self.out = self.define_event("out", ["n", "label"])

class Total(Routine):
    def __init__(self):
        super().__init__()
        self.inp = self.define_slot("inp", handler=self.show)
    def show(self, **kw):
        print("received:", sorted(kw.items()))

numbers, total = Numbers(), Total()
c = Connection(numbers.out, total.inp, param_mapping={"n": "count"})
print(c.source_event is numbers.out, c.target_slot is total.inp, c.param_mapping)
numbers.emit("out", n=1, label="a")
c.activate({"n": 2, "label": "b"})
print(len(numbers.out.connected_slots), len(total.inp.connected_events))
c.disconnect()
print(len(numbers.out.connected_slots), len(total.inp.connected_events))
numbers.emit("out", n=3, label="c")
print("done")
