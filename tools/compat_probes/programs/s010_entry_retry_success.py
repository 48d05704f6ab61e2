"""Entry routine that succeeds on the third attempt."""
from routilux import Flow, Routine, JobState, ErrorHandler, ErrorStrategy

attempts = {"n": 0}


class Fetch(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.fetch)
        self.define_event("data", ["payload"])

    def fetch(self, **kwargs):
        attempts["n"] += 1
        print("attempt", attempts["n"])
        if attempts["n"] < 3:
            raise ConnectionError("server busy")
        self.emit("data", payload={"ok": True})


class Store(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.save)

    def save(self, payload=None, **kwargs):
        print("stored", payload)


fetch = Fetch()
handler = ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=4, retry_delay=0.01, retry_backoff=1.0)
fetch.set_error_handler(handler)
flow = Flow(flow_id="retry_ok")
flow.add_routine(fetch, "fetch")
flow.add_routine(Store(), "store")
flow.connect("fetch", "data", "store", "input")
job = flow.execute("fetch")
JobState.wait_for_completion(flow, job, timeout=10)
print("status:", job.status)
state = job.get_routine_state("fetch")
print("routine status:", state["status"], "retry_count:", state.get("retry_count"))
print("handler retry_count:", handler.retry_count)
last = job.get_execution_history("fetch")[-1]
print("last record:", last.event_name, last.data.get("retried"))
flow.shutdown()
