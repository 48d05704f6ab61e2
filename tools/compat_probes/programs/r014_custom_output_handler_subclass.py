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
class MyHandler(OutputHandler):
    def __init__(self):
        self.seen = []
    def handle(self, job_id, routine_id, output_type, data, timestamp):
        self.seen.append((routine_id, output_type, data))

class Proc(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.process)
        self.output_event = self.define_event("output", ["v"])

    def process(self, **kwargs):
        self.get_execution_context().job_state.set_output_handler(h)
        self.send_output("result", value=kwargs.get("v", 0) * 2)
        self.emit("output", v=kwargs.get("v", 0))

class Down(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)

    def process(self, v):
        self.send_output("down", got=v)

flow = Flow(flow_id="h")
flow.add_routine(Proc(), "proc"); flow.add_routine(Down(), "down")
flow.connect("proc", "output", "down", "input")
h = MyHandler()
js = flow.execute("proc", entry_params={"v": 4})
wait(flow, js)
js.send_output("outside", "note", {"n": 1})
print(h.seen)
print([(o["routine_id"], o["output_type"], o["data"]) for o in js.output_log])
print(isinstance(h, OutputHandler), OutputHandler.__name__)
try:
    OutputHandler().handle(job_id="j", routine_id="r", output_type="t", data={}, timestamp=None)
except NotImplementedError as e:
    print("NotImplementedError", e)
except TypeError as e:
    print("TypeError")
