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
        self.define_event("out", ["obj", "eh", "lst"])
    def go(self, **kw):
        self.emit("out", obj=self, eh=ErrorHandler(), lst=[1, {"a": 2}], t=(1, 2), n=None)
class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, obj=None, eh=None, lst=None, t=None, n=None):
        print(type(obj).__name__, type(eh).__name__, lst, t, n)
f = Flow(flow_id="sv"); a = A()
f.add_routine(a, "a"); f.add_routine(B(), "b"); f.connect("a", "out", "b", "input")
js = f.execute("a"); wait(f, js)
rec = js.execution_history[1]
print(rec.event_name, {k: (v if not isinstance(v, str) else v.split(" object")[0].split("[")[0]) for k, v in rec.data.items()})
d = js.serialize()
print(type(d["execution_history"][1]["data"]["lst"]).__name__, d["execution_history"][1]["data"]["t"])
