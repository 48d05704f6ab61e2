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
        self.define_event("out", ["pair"])
    def go(self, pair=None, **kw):
        print("entry got", pair)
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("pair", pair)
        ctx.job_state.update_routine_state("note", {"pair": pair})
        self.emit("out", pair=(pair[1], pair[0]))
class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, pair):
        print("B got", pair, type(pair).__name__)
        a, b = pair
        print("sum", a + b)
f = Flow(flow_id="tp"); f.add_routine(A(), "a"); f.add_routine(B(), "b"); f.connect("a", "out", "b", "input")
js = f.execute("a", entry_params={"pair": (1, 2)}); wait(f, js)
print(js.status, js.get_shared_data("pair"), js.get_routine_state("note"))
print([r.data for r in js.execution_history])
