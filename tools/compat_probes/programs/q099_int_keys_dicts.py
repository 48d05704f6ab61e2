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

class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["counts"])
    def go(self, words=(), **kw):
        counts = {}
        for w in words:
            counts[len(w)] = counts.get(len(w), 0) + 1
        self.get_execution_context().job_state.update_shared_data("counts", counts)
        self.emit("out", counts=counts)
class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, counts):
        print("B", counts, counts.get(3))
f = Flow(flow_id="ik"); f.add_routine(A(), "a"); f.add_routine(B(), "b"); f.connect("a", "out", "b", "input")
js = f.execute("a", entry_params={"words": ["abc", "de", "fgh"]}); wait(f, js)
print(js.status, js.get_shared_data("counts"))
