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

import datetime as dt
class E(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
    def go(self, **kw):
        ctx = self.get_execution_context()
        js = ctx.job_state
        js.update_shared_data("pair", (1, 2))
        js.update_shared_data("tags", {"b", "a"})
        js.update_shared_data("when", dt.date(2021, 5, 6))
        js.append_to_shared_log({"t": (1,)})
        js.update_routine_state("other", {"pt": (3, 4)})
        self.send_output("out", coords=(5, 6))
f = Flow(flow_id="so"); f.add_routine(E(), "e")
js = f.execute("e"); wait(f, js)
print(js.status)
print(js.get_shared_data("pair"), sorted(js.get_shared_data("tags") or []), js.get_shared_data("when"))
print(js.get_shared_log()[0]["t"], js.get_routine_state("other"), js.output_log[0]["data"] if js.output_log else None)
