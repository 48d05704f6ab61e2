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
        self.define_event("out", ["text", "max_length"])
    def go(self, items=(), **kw):
        for t in items:
            self.emit("out", **t)
c = TextClipper(); c.set_config(max_length=8, truncation_message="[+{remaining}]", preserve_tracebacks=False)
f = Flow(flow_id="co")
f.add_routine(S(), "s"); f.add_routine(c, "c"); f.add_routine(P(), "p")
f.connect("s", "out", "c", "input"); f.connect("c", "output", "p", "input")
js = f.execute("s", entry_params={"items": [{"text": "aaa\nbbb\nccc\nddd"}, {"text": "0123456789abc", "max_length": 4}, {"text": ""}]}); wait(f, js)
d = DataFlattener(); d.set_config(max_depth=1)
f2 = Flow(flow_id="fo2"); f2.add_routine(S(), "s"); f2.add_routine(d, "d"); f2.add_routine(P(), "p")
f2.connect("s", "out", "d", "input", param_mapping={"text": "data"}); f2.connect("d", "output", "p", "input")
js2 = f2.execute("s", entry_params={"items": [{"text": {"a": {"b": {"c": 1}}}}]}); wait(f2, js2)
print(js.status, js2.status)
