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
q = queue.Queue()
class Proc(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.process)
        self.output_event = self.define_event("output", ["data"])

    def process(self, n=2, **kwargs):
        for i in range(n):
            self.send_output("progress", step=i, of=n)
        self.emit("output", data=n)

flow = Flow(flow_id="qflow")
flow.add_routine(Proc(), "proc")
flow.add_routine(Printer(), "p")
flow.connect("proc", "output", "p", "input")
js = flow.execute("proc", entry_params={"n": 3})
wait(flow, js)
print(js.output_handler)
print(q.qsize(), len(js.output_log))
h = QueueOutputHandler(q)
js.set_output_handler(h)
js.send_output("proc", "manual", {"k": 1})
item = q.get_nowait()
print(sorted(item.keys()))
print(item["routine_id"], item["output_type"], item["data"], item["job_id"] == js.job_id, type(item["timestamp"]).__name__)
print(len(js.output_log), js.output_log[-1]["data"])
