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
import warnings
class Boom(OutputHandler):
    def handle(self, job_id, routine_id, output_type, data, timestamp):
        raise RuntimeError("disk full")

js = JobState(flow_id="f")
js.set_output_handler(Boom())
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    js.send_output("r1", "status", {"ok": True})
print([(x.category.__name__, str(x.message)) for x in w])
print([(o["routine_id"], o["output_type"], o["data"]) for o in js.output_log])
js.set_output_handler(None)
js.send_output("r1", "status", {"ok": False})
print(len(js.output_log), js.output_handler)
js.set_output_handler(NullOutputHandler())
js.send_output("r2", "x", {})
print(len(js.output_log), type(js.output_handler).__name__)
print(js.status, js.flow_id)
