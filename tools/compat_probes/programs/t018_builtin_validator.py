"""DataValidator routing valid and invalid records to different sinks."""
from routilux import Flow, Routine, DataValidator, JobState


class Records(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("record", ["data"])

    def send(self, records=None, **kwargs):
        for r in records:
            self.emit("record", data=r)


class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, **kwargs):
        ctx = self.get_execution_context()
        print(ctx.routine_id, sorted(kwargs.items()))


v = DataValidator()
v.set_config(required_fields=["name", "age"], rules={"name": "is_string", "age": "is_int"})
flow = Flow(flow_id="validate")
flow.add_routine(Records(), "records")
flow.add_routine(v, "validator")
flow.add_routine(Sink(), "good")
flow.add_routine(Sink(), "bad")
flow.connect("records", "record", "validator", "input")
flow.connect("validator", "valid", "good", "input")
flow.connect("validator", "invalid", "bad", "input")
job = flow.execute("records", entry_params={"records": [{"name": "a", "age": 3}, {"name": 5, "age": 1}, {"age": 2}]})
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
