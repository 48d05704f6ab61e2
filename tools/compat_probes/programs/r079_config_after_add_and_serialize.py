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
class Greeter(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["text"])
    def go(self, name="world", **kw):
        greeting = self.get_config("greeting", "Hello")
        punct = self.get_config("punct", "!")
        self.emit("out", text=f"{greeting}, {name}{punct}")

flow = Flow(flow_id="greet")
g = Greeter()
flow.add_routine(g, "g"); flow.add_routine(Printer(), "p")
flow.connect("g", "out", "p", "input")
js = flow.execute("g"); wait(flow, js)
g.set_config(greeting="Hi", punct="?")
js = flow.execute("g", entry_params={"name": "Ann"}); wait(flow, js)
data = flow.serialize()
print(data["routines"]["g"]["_config"])
g.set_config(greeting=None)
js = flow.execute("g", entry_params={"name": "Bob"}); wait(flow, js)
print(g.get_config("greeting"), g.get_config("greeting", "x"), sorted(g.config()))
