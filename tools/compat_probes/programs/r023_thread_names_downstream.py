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
import threading
names = []
class W(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)

    def process(self, **kwargs):
        names.append(threading.current_thread().name)

flow = Flow(flow_id="tn", execution_strategy="concurrent", max_workers=1)
flow.add_routine(Src(), "src"); flow.add_routine(W(), "w")
flow.connect("src", "out", "w", "input")
js = flow.execute("src", entry_params={"items": [1, 2, 3]})
JobState.wait_for_completion(flow, js, timeout=5)
print(sorted(set(names)), len(names))
print(threading.current_thread().name)
