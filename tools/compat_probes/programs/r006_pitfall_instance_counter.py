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
class Counter(Routine):
    def __init__(self):
        super().__init__()
        self.counter = 0
        self.data = []
        self.input_slot = self.define_slot("input", handler=self.process)

    def process(self, **kwargs):
        self.counter += 1
        self.data.append(kwargs)

flow = Flow(flow_id="pitfall")
flow.add_routine(Src(), "src")
c = Counter()
flow.add_routine(c, "counter")
flow.connect("src", "out", "counter", "input")
for items in ([1, 2], [3]):
    js = flow.execute("src", entry_params={"items": items})
    wait(flow, js)
    print(js.status, c.counter, c.data)
print(js.get_routine_state("counter"))
print(sorted(c.serialize().get("_config", {}).items()))
