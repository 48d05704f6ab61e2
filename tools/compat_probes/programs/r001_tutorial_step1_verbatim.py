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
        result = f"Processed: {data_value}"
        ctx = self.get_execution_context()
        if ctx:
            ctx.job_state.update_routine_state(
                ctx.routine_id, {"last_processed": data_value, "processed": True}
            )
        self.emit("output", result=result)

class DataSource(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        self.emit("output", data="test")

flow = Flow(flow_id="jobstate_flow")
source = DataSource()
processor = SimpleProcessor()
source_id = flow.add_routine(source, "source")
processor_id = flow.add_routine(processor, "processor")
flow.connect(source_id, "output", processor_id, "input")
job_state = flow.execute(source_id)
JobState.wait_for_completion(flow, job_state, timeout=5.0)
print(f"Status: {job_state.status}")
print(f"Flow ID: {job_state.flow_id}")
print(f"Created at: {job_state.created_at}")
history = job_state.get_execution_history()
print(f"Execution records: {len(history)}")
processor_state = job_state.get_routine_state(processor_id)
print(f"Processor state: {processor_state}")
print(type(job_state.created_at).__name__, type(job_state.updated_at).__name__)
print(job_state.updated_at >= job_state.created_at)
