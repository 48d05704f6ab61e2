from routilux import *
from routilux.job_state import JobState
import time, json

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self, label="p", **slot_kw):
        super().__init__()
        self.label = label
        self.input_slot = self.define_slot("input", handler=self.show, **slot_kw)
    def show(self, **kw):
        print(self.label, kw)

def wait(flow, js):
    ok = JobState.wait_for_completion(flow, js, timeout=10)
    return ok

class Flaky(Routine):
    n = 0
    def __init__(self):
        super().__init__(); self.define_slot("trigger", handler=self.h)
    def h(self, **kw):
        Flaky.n += 1
        if Flaky.n < 3: raise ConnectionError("fail %d" % Flaky.n)
        print("ok on", Flaky.n)
fl = Flaky(); eh = ErrorHandler(strategy="retry", max_retries=3, retry_delay=0.01)
fl.set_error_handler(eh)
f = Flow(flow_id="r"); f.add_routine(fl, "fl")
js = f.execute("fl"); print(js.status)
st = js.get_routine_state("fl"); print(st["status"], st.get("retry_count"))
print(eh.retry_count, f.get_routine_retry_count("fl") if hasattr(f, "get_routine_retry_count") else "-")
print([(r.event_name, r.data.get("retried")) for r in js.execution_history])
