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
received = []
def on_output(job_id, routine_id, output_type, data, timestamp):
    received.append(f"{routine_id}/{output_type}: {data}")

class Src3(Src):
    def go(self, items=None, **kw):
        self.get_execution_context().job_state.set_output_handler(CallbackOutputHandler(on_output))
        super().go(items=items)

class Step(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.run)
        self.output_event = self.define_event("output", ["x"])

    def run(self, x):
        self.send_output("step", x=x)
        self.emit("output", x=x + 1)

flow = Flow(flow_id="cb")
flow.add_routine(Src3(), "src")
flow.add_routine(Step(), "a")
flow.add_routine(Step(), "b")
flow.connect("src", "out", "a", "input")
flow.connect("a", "output", "b", "input")
js = flow.execute("src", entry_params={"items": [10, 20]})
wait(flow, js)
print(sorted(received))
print(sorted((o["routine_id"], o["data"]["x"]) for o in js.output_log))
print(js.status)
