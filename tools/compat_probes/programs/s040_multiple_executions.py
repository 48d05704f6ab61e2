from routilux import Flow, Routine, JobState


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, value=None, **kwargs):
        self.emit("output", data=value)


class Upper(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.up)

    def up(self, data=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("result", data.upper())


flow = Flow(flow_id="my_flow")
source_id = flow.add_routine(Source(), "source")
flow.add_routine(Upper(), "upper")
flow.connect("source", "output", "upper", "input")

jobs = [flow.execute(source_id, entry_params={"value": v}) for v in "abc"]
for js in jobs:
    JobState.wait_for_completion(flow, js, timeout=5)
print("distinct ids:", len({js.job_id for js in jobs}))
print("distinct objects:", jobs[0] is not jobs[1])
for i, js in enumerate(jobs, 1):
    print(f"Execution {i}: {js.status}, result={js.get_shared_data('result')}, history={len(js.execution_history)} records")
flow.shutdown()
