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
class SimpleProcessor(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)
        self.output_event = self.define_event("output", ["result"])

    def process(self, data=None, **kwargs):
        data_value = data or kwargs.get("data", "")
        self.emit("output", result=f"Processed: {data_value}")

class DataSource(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        for item in ["a", "b", "c"]:
            self.emit("output", data=item)

flow = Flow(flow_id="history_flow")
source_id = flow.add_routine(DataSource(), "source")
processor_id = flow.add_routine(SimpleProcessor(), "processor")
flow.connect(source_id, "output", processor_id, "input")
job_state = flow.execute(source_id)
JobState.wait_for_completion(flow, job_state, timeout=5.0)
history = job_state.get_execution_history()
print(f"Total records: {len(history)}")
processor_history = job_state.get_execution_history(processor_id)
print(f"Processor executions: {len(processor_history)}")
for record in history:
    print(f"  {record.routine_id}: {record.event_name} at {record.timestamp}")
print(sorted((r.routine_id, r.event_name, sorted(r.data.items())) for r in history))
ts = [r.timestamp for r in history]
print(ts == sorted(ts), type(ts[0]).__name__)
print(history is job_state.execution_history, len(job_state.get_execution_history("nobody")))
