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

class Loop(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.start)
        self.define_slot("again", handler=self.step)
        self.define_event("next", ["n"]); self.define_event("done", ["n"])
    def start(self, n=0, **kw):
        self.emit("next", n=n)
    def step(self, n):
        if n >= 4:
            self.emit("done", n=n)
        else:
            self.emit("next", n=n + 1)
f = Flow(flow_id="loop")
f.add_routine(Loop(), "l"); f.add_routine(Printer(), "p")
f.connect("l", "next", "l", "again"); f.connect("l", "done", "p", "input")
js = f.execute("l", entry_params={"n": 1}); wait(f, js)
print(js.status, [(r.event_name, r.data) for r in js.execution_history])
print(js.routine_states)
