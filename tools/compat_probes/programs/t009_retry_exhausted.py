"""RETRY that never succeeds: the job fails after max_retries."""
from routilux import Flow, Routine, ErrorHandler, ErrorStrategy, JobState

calls = []


class AlwaysFails(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.run)

    def run(self, **kwargs):
        calls.append(1)
        raise TimeoutError("upstream timed out")


flow = Flow(flow_id="retry-exhaust")
r = AlwaysFails()
r.set_error_handler(ErrorHandler(strategy="retry", max_retries=2, retry_delay=0.0))
flow.add_routine(r, "fails")
job = flow.execute("fails")
JobState.wait_for_completion(flow, job, timeout=5)
print("calls:", len(calls))
print("status:", job.status)
state = job.get_routine_state("fails")
print("routine status:", state.get("status"))
print("error:", state.get("error"))
