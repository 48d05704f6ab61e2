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
flow = Flow(flow_id="ser_struct", execution_strategy="concurrent", max_workers=3)
s = Src(); s.set_config(mode="fast")
flow.add_routine(s, "src"); flow.add_routine(Printer(), "p")
flow.connect("src", "out", "p", "input", param_mapping={"x": "value"})
d = flow.serialize()
print(sorted(d.keys()))
print(d["flow_id"], d["execution_strategy"], d["max_workers"], d.get("execution_timeout"))
print(sorted(d["routines"].keys()))
rs = d["routines"]["src"]
print(sorted(rs.keys()), rs["_config"], rs["_type"])
print(len(d["connections"]), sorted(d["connections"][0].keys()))
print(d["connections"][0].get("param_mapping"))
text = json.dumps(d)
print(len(text) > 100)
