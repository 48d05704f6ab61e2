"""RETRY only for network errors: a KeyError is not retried."""
from routilux import Flow, Routine, JobState, ErrorHandler, ErrorStrategy

count = 0


class Lookup(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.lookup)

    def lookup(self, key=None, **kwargs):
        global count
        count += 1
        table = {"a": 1}
        return table[key]


lookup = Lookup()
lookup.set_error_handler(
    ErrorHandler(
        strategy=ErrorStrategy.RETRY,
        max_retries=3,
        retry_delay=0.01,
        retryable_exceptions=(ConnectionError, TimeoutError),
    )
)
flow = Flow(flow_id="lookup")
flow.add_routine(lookup, "lookup")
job_state = flow.execute("lookup", entry_params={"key": "zzz"})
JobState.wait_for_completion(flow, job_state, timeout=5)
print("calls:", count)
print("status:", job_state.status)
print("error:", job_state.get_routine_state("lookup")["error"])
print("retry_count:", lookup.get_error_handler().retry_count)

job_state = flow.execute("lookup", entry_params={"key": "a"})
JobState.wait_for_completion(flow, job_state, timeout=5)
print("second run:", job_state.status, job_state.get_routine_state("lookup"))
flow.shutdown()
