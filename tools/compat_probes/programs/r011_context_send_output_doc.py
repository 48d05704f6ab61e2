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
outputs = []
def collect(job_id, routine_id, output_type, data, timestamp):
    outputs.append((routine_id, output_type, sorted(data.items()), type(timestamp).__name__))

class Processor(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)

    def process(self, data=None, **kwargs):
        ctx = self.get_execution_context()
        if ctx:
            ctx.job_state.update_routine_state(ctx.routine_id, {"processed": True})
            ctx.job_state.update_shared_data("last_item", data)
            self.send_output("user_data", message="Processed", value=data)

class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        for d in ("x", "y"):
            self.emit("output", data=d)

flow = Flow(flow_id="ctx_flow")
flow.add_routine(Source(), "source")
flow.add_routine(Processor(), "processor")
flow.connect("source", "output", "processor", "input")
js = flow.execute("source")
js.set_output_handler(CallbackOutputHandler(collect))
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status, js.shared_data, js.get_routine_state("processor"))
print([(o["routine_id"], o["output_type"], o["data"]) for o in js.output_log])
print(sorted(js.output_log[0].keys()))
