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
from routilux import ErrorStrategy
class Fail(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.input_slot = self.define_slot("input", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, **kw):
        raise KeyError("missing")

for label, setup in [("optional", lambda r: r.set_as_optional()),
                     ("optional-skip", lambda r: r.set_as_optional(ErrorStrategy.SKIP)),
                     ("critical", lambda r: r.set_as_critical(max_retries=2, retry_delay=0.0))]:
    flow = Flow(flow_id=label)
    r = Fail(); setup(r)
    flow.add_routine(r, "f")
    js = flow.execute("f"); wait(flow, js)
    eh = r.get_error_handler()
    print(label, js.status, js.get_routine_state("f").get("status"), eh.strategy, eh.is_critical, eh.max_retries)
    print("  ", [(x.event_name, sorted(x.data)) for x in js.execution_history])
