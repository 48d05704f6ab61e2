from routilux import Flow, Routine

class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        self.emit("output", data="test")

flow = Flow(flow_id="my_flow")
source = Source()
source_id = flow.add_routine(source, "source")

# Execute returns a JobState
job_state = flow.execute(source_id)

print(f"Job ID: {job_state.job_id}")
print(f"Status: {job_state.status}")
print(f"Flow ID: {job_state.flow_id}")

from routilux.job_state import JobState
JobState.wait_for_completion(flow, job_state, timeout=5.0)
print(f"Final status: {job_state.status}")
all_records = job_state.execution_history
print(f"Total records: {len(all_records)}")
source_records = job_state.get_execution_history("source")
print(f"Source records: {len(source_records)}")
for record in job_state.execution_history:
    print(f"{record.routine_id} -> {record.event_name}")
    print(f"  Data: {record.data}")
flow.shutdown()
