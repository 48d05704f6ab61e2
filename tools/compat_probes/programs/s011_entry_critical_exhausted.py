from routilux import Flow, Routine, JobState

calls = []


class Critical(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.run)

    def run(self, **kwargs):
        calls.append(1)
        raise TimeoutError(f"timed out (call {len(calls)})")


r = Critical()
r.set_as_critical(max_retries=2, retry_delay=0.01, retry_backoff=1.0)
eh = r.get_error_handler()
print("strategy:", eh.strategy.value, "critical:", eh.is_critical, "max_retries:", eh.max_retries)
flow = Flow(flow_id="critical")
flow.add_routine(r, "critical")
try:
    job = flow.execute("critical")
    JobState.wait_for_completion(flow, job, timeout=10)
    print("calls:", len(calls))
    print("status:", job.status)
    print("state:", job.get_routine_state("critical")["status"], job.get_routine_state("critical")["error"])
except Exception as e:
    print("raised:", type(e).__name__, e)
finally:
    flow.shutdown()
