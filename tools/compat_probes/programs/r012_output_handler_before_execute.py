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
import queue
class Proc(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.process)

    def process(self, data=None, **kwargs):
        self.send_output("user_data", message="Processing", value=data)
        self.send_output("status", progress=50, status="in_progress")

flow = Flow(flow_id="my_flow")
entry_id = flow.add_routine(Proc(), "proc")
q = queue.Queue()
try:
    handler = QueueOutputHandler()
except TypeError as e:
    print("TypeError:", e)
handler = QueueOutputHandler(q)
job_state = JobState(flow_id="my_flow")
job_state.set_output_handler(handler)
js = flow.execute(entry_id, entry_params={"data": 7})
JobState.wait_for_completion(flow, js, timeout=5)
print(js is job_state, q.qsize(), len(job_state.output_log), len(js.output_log))
print([(o["output_type"], o["data"]) for o in js.output_log])
print(job_state.status)
