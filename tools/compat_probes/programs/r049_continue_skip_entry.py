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
class Fail(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, **kw):
        self.emit("out", x=1)
        raise ValueError("half way")

for strat in (ErrorStrategy.CONTINUE, ErrorStrategy.SKIP, ErrorStrategy.STOP):
    flow = Flow(flow_id="s")
    flow.set_error_handler(ErrorHandler(strategy=strat))
    flow.add_routine(Fail(), "f"); flow.add_routine(Printer(), "p")
    flow.connect("f", "out", "p", "input")
    js = flow.execute("f"); wait(flow, js)
    st = js.get_routine_state("f")
    print(strat.value, js.status, st.get("status"), st.get("error"))
    print("  ", [(x.routine_id, x.event_name, sorted(x.data.items())) for x in js.execution_history if x.event_name != "error" or True][:4])
