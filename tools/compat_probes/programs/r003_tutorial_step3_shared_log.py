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
class DataCollector(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.collect)

    def collect(self, data=None, **kwargs):
        data_value = data or kwargs.get("data", "")
        ctx = self.get_execution_context()
        if ctx:
            ctx.job_state.append_to_shared_log(
                {"action": "collected", "data": data_value, "routine": "collector"}
            )
            collected_items = ctx.job_state.get_shared_data("collected_items", [])
            collected_items.append(data_value)
            ctx.job_state.update_shared_data("collected_items", collected_items)

class DataSource(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        for item in ["a", "b", "c"]:
            self.emit("output", data=item)

flow = Flow(flow_id="shared_data_flow")
source_id = flow.add_routine(DataSource(), "source")
collector_id = flow.add_routine(DataCollector(), "collector")
flow.connect(source_id, "output", collector_id, "input")
job_state = flow.execute(source_id)
JobState.wait_for_completion(flow, job_state, timeout=5.0)
collected_items = job_state.get_shared_data("collected_items", [])
print(f"Collected items: {collected_items}")
log = job_state.get_shared_log()
print(f"Log entries: {len(log)}")
for entry in log:
    print(f"  {entry}")
print(sorted(job_state.shared_data))
print(job_state.get_shared_data("missing"), job_state.get_shared_data("missing", default=0))
