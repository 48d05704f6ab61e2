from routilux import *
from routilux.job_state import JobState
import json, time

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)
    def show(self, **kw):
        print("got", sorted(kw.items()))

def wait(flow, js, t=10):
    return JobState.wait_for_completion(flow, js, timeout=t)
from routilux import ErrorHandler, ErrorStrategy
attempts = []
class Flaky(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, **kw):
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError(f"attempt {len(attempts)} failed")
        self.emit("out", x=len(attempts))

flow = Flow(flow_id="retry")
flaky = Flaky()
flaky.set_error_handler(ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=3, retry_delay=0.01, retry_backoff=1.0))
flow.add_routine(flaky, "flaky"); flow.add_routine(Printer(), "p")
flow.connect("flaky", "out", "p", "input")
js = flow.execute("flaky"); wait(flow, js)
st = js.get_routine_state("flaky")
print(js.status, len(attempts), sorted(k for k in st), st.get("status"), st.get("retry_count"))
print([(r.routine_id, r.event_name, sorted(r.data)) for r in js.execution_history])
print(flaky.get_error_handler().retry_count)
attempts.clear()
flaky.get_error_handler().reset()
flaky.get_error_handler().max_retries = 1
js = flow.execute("flaky"); wait(flow, js)
st = js.get_routine_state("flaky")
print(js.status, len(attempts), st.get("status"), st.get("error"), sorted(st))
