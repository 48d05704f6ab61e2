"""A downstream routine raises; no error handler configured."""
from routilux import Flow, Routine, JobState


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        for item in [4, 0, 2]:
            self.emit("output", data=item)


class Divider(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.divide)

    def divide(self, data=None, **kwargs):
        ctx = self.get_execution_context()
        result = 100 // data
        ctx.job_state.append_to_shared_log({"input": data, "result": result})


flow = Flow(flow_id="divide")
flow.add_routine(Source(), "source")
flow.add_routine(Divider(), "divider")
flow.connect("source", "output", "divider", "input")
job_state = flow.execute("source")
JobState.wait_for_completion(flow, job_state, timeout=10)
print(f"Status: {job_state.status}")
print(f"Divider state: {job_state.get_routine_state('divider')}")
for entry in job_state.get_shared_log():
    print(f"  ok: {entry['input']} -> {entry['result']}")
for rec in job_state.get_execution_history("divider"):
    print(f"  {rec.event_name}: {rec.data}")
flow.shutdown()
