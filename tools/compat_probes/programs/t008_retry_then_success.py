"""RETRY: an entry routine that fails twice then succeeds, tracking attempts in shared data."""
from routilux import Flow, Routine, ErrorHandler, ErrorStrategy

attempts = {"n": 0}


class Flaky(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.call)
        self.define_event("ok", ["attempt"])

    def call(self, **kwargs):
        attempts["n"] += 1
        print("attempt", attempts["n"])
        if attempts["n"] < 3:
            raise ConnectionError("service unavailable")
        self.emit("ok", attempt=attempts["n"])


class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.got)

    def got(self, attempt=None, **kwargs):
        print("sink got attempt", attempt)


flow = Flow(flow_id="retry")
flaky = Flaky()
flaky.set_error_handler(ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=3, retry_delay=0.01))
flow.add_routine(flaky, "flaky")
flow.add_routine(Sink(), "sink")
flow.connect("flaky", "ok", "sink", "input")
job = flow.execute("flaky")
flow.wait_for_completion(timeout=5)
print("status:", job.status)
st = job.get_routine_state("flaky")
print("flaky:", st["status"], st.get("retry_count"))
print("retry count:", flaky.get_error_handler().retry_count)
