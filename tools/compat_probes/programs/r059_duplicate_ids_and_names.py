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
flow = Flow(flow_id="dup")
a = Src()
print(flow.add_routine(a, "a"))
try:
    print(flow.add_routine(Src(), "a"))
except ValueError as e:
    print("ValueError:", e)
print(sorted(flow.routines), flow.routines["a"] is a)
class TwoSlots(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        try:
            self.define_slot("input", handler=self.h)
            print("second slot ok")
        except ValueError as e:
            print("slot ValueError:", e)
        self.define_event("out", ["x"])
        try:
            self.define_event("out", ["y"])
            print("second event ok")
        except ValueError as e:
            print("event ValueError:", e)
    def h(self, **kw):
        pass
t = TwoSlots()
print(sorted(t._slots), t.get_event("out").output_params)
rid = flow.add_routine(Src())
print(rid.startswith("0x"), rid in flow.routines)
