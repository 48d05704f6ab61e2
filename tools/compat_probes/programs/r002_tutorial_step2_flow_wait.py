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
import warnings
warnings.simplefilter("ignore")
class StatefulProcessor(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)
        self.output_event = self.define_event("output", ["result"])

    def process(self, data=None, **kwargs):
        data_value = data or kwargs.get("data", "")
        ctx = self.get_execution_context()
        if not ctx:
            return
        current_state = ctx.job_state.get_routine_state(ctx.routine_id) or {}
        processed_count = current_state.get("processed_count", 0) + 1
        try:
            result = data_value.upper()
            ctx.job_state.update_routine_state(
                ctx.routine_id,
                {"processed_count": processed_count, "last_processed": data_value,
                 "last_result": result, "status": "success"},
            )
            self.emit("output", result=result)
        except Exception as e:
            error_count = current_state.get("error_count", 0) + 1
            ctx.job_state.update_routine_state(
                ctx.routine_id,
                {"processed_count": processed_count, "error_count": error_count,
                 "last_error": str(e), "status": "error"},
            )
            raise

class DataSource(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        for item in ["hello", 42, "routilux"]:
            self.emit("output", data=item)

flow = Flow(flow_id="stateful_flow")
source_id = flow.add_routine(DataSource(), "source")
processor_id = flow.add_routine(StatefulProcessor(), "processor")
flow.connect(source_id, "output", processor_id, "input")
job_state = flow.execute(source_id)
JobState.wait_for_completion(flow, job_state, timeout=5.0)
processor_state = job_state.get_routine_state(processor_id)
print(f"Processed: {processor_state.get('processed_count', 0)}")
print(f"Errors: {processor_state.get('error_count', 0)}")
print(f"Last processed: {processor_state.get('last_processed', 'none')}")
print(f"Status field: {processor_state.get('status')}")
print(f"Last error: {processor_state.get('last_error')}")
print(f"Job: {job_state.status}")
print([(r.routine_id, r.event_name) for r in job_state.execution_history])
