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
class MyRoutine(Routine):
    def __init__(self):
        super().__init__()
        self.set_config(name="my_routine", timeout=30)
        self.trigger_slot = self.define_slot("trigger", handler=self.process)

    def process(self, **kwargs):
        timeout = self.get_config("timeout", default=10)
        retries = self.get_config("retries", default=3)
        ctx = self.get_execution_context()
        ctx.job_state.update_routine_state(ctx.routine_id, {"timeout": timeout, "retries": retries})

r = MyRoutine()
print(sorted(r.config().items()), r.get_config("name"), r.get_config("nope"))
r.set_config(timeout=5, extra=[1, 2])
print(sorted(r.config().items()))
cfg = r.config()
cfg["hacked"] = 1
print("hacked" in r.config(), sorted(r._config))
flow = Flow(flow_id="cfg")
flow.add_routine(r, "r")
js = flow.execute("r"); wait(flow, js)
print(js.status, js.get_routine_state("r"))
print(r.serialize()["_config"])
