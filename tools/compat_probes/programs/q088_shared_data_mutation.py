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
        self.define_slot("input", handler=self.h)
    def h(self, x):
        js = self.get_execution_context().job_state
        items = js.get_shared_data("items")
        if items is None:
            js.update_shared_data("items", [x])
        else:
            items.append(x)
f = Flow(flow_id="sm"); f.add_routine(Src(), "s"); f.add_routine(A(), "a"); f.connect("s", "out", "a", "input")
js = f.execute("s", entry_params={"items": [1, 2, 3]}); wait(f, js)
print(js.get_shared_data("items"), js.shared_data)
lst = [9]; js.update_shared_data("ext", lst); lst.append(10); print(js.get_shared_data("ext"))
js.shared_data["direct"] = 5; print(js.get_shared_data("direct"))
js.shared_log.append({"m": 1}); print(len(js.get_shared_log()))
