from routilux import Flow, Routine, JobState, ErrorHandler, ErrorStrategy


class Flaky(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])

    def go(self, **kwargs):
        raise ValueError("bad value 42")


flow = Flow(flow_id="continue_flow")
flow.set_error_handler(ErrorHandler(strategy=ErrorStrategy.CONTINUE))
flow.add_routine(Flaky(), "flaky")
job = flow.execute("flaky")
JobState.wait_for_completion(flow, job, timeout=5)
print("job:", job.status)
print("routine:", job.get_routine_state("flaky"))
print("events:", [r.event_name for r in job.execution_history])
print("continued record:", job.get_execution_history("flaky")[-1].data)
flow.shutdown()
