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
js = JobState(flow_id="log")
for i in range(5):
    js.append_to_shared_log({"i": i, "level": "warn" if i % 2 else "info"})
js.append_to_shared_log({"i": 9, "timestamp": "given"})
try:
    js.append_to_shared_log("not a dict")
except ValueError as e:
    print("ValueError:", e)
except Exception as e:
    print(type(e).__name__, e)
print(len(js.get_shared_log()))
print([e["i"] for e in js.get_shared_log(lambda e: e.get("level") == "warn")])
print([e["i"] for e in js.get_shared_log(filter_func=lambda e: e["i"] > 2)])
print(js.get_shared_log()[-1])
copy = js.get_shared_log()
copy.append({"x": 1})
print(len(js.shared_log))
entry = {"a": 1}
js.append_to_shared_log(entry)
print(entry, sorted(js.shared_log[-1]))
