from routilux import Flow, Routine, JobState


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
JobState.wait_for_completion(flow, job_state, timeout=2.0)

history = job_state.get_execution_history()
print(f"Total records: {len(history)}")
print(f"Processor executions: {len(job_state.get_execution_history(processor_id))}")
for record in history:
    print(f"  {record.routine_id}: {record.event_name} {record.data}")
print(repr(history[0]).split("@")[0])
flow.shutdown()
