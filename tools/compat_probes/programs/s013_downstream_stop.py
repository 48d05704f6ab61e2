from routilux import Flow, Routine, JobState, ErrorHandler, ErrorStrategy


class Emitter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["record"])

    def go(self, **kwargs):
        self.emit("out", record={"id": 1, "name": "ok"})
        self.emit("out", record={"id": 2})


class Validate(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("in", handler=self.check)

    def check(self, record=None, **kwargs):
        if "name" not in record:
            raise KeyError(f"record {record['id']} has no name")
        print("valid record", record["id"])


v = Validate()
v.set_error_handler(ErrorHandler(strategy=ErrorStrategy.STOP))
flow = Flow(flow_id="stop_downstream")
flow.add_routine(Emitter(), "emitter")
flow.add_routine(v, "validate")
flow.connect("emitter", "out", "validate", "in")
job = flow.execute("emitter")
JobState.wait_for_completion(flow, job, timeout=10)
print("job status:", job.status)
print("validate:", job.get_routine_state("validate"))
print("emitter:", job.get_routine_state("emitter"))
flow.shutdown()
