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
    def h(self, **kw):
        print("P", sorted(kw.items()))
class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["text"])
    def go(self, texts=(), **kw):
        for t in texts:
            self.emit("out", text=t)
c = TextClipper(); c.set_config(max_length=10)
f = Flow(flow_id="tc")
f.add_routine(S(), "s"); f.add_routine(c, "c"); f.add_routine(P(), "p")
f.connect("s", "out", "c", "input"); f.connect("c", "output", "p", "input")
js = f.execute("s", entry_params={"texts": ["short", "a very long text that exceeds", "line1\nline2 long long long", 12345, "Traceback (most recent call last):\n  File x\nError"]}); wait(f, js)
print(js.status, c.config())
