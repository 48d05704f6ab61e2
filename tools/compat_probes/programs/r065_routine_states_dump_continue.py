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
class Parse(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.h)
        self.output_event = self.define_event("output", ["value"])
    def h(self, x):
        if x < 0:
            raise ValueError(f"negative: {x}")
        ctx = self.get_execution_context()
        st = ctx.job_state.get_routine_state(ctx.routine_id) or {}
        ctx.job_state.update_routine_state(ctx.routine_id, {"ok": st.get("ok", 0) + 1})
        self.emit("output", value=x * 2)

flow = Flow(flow_id="dump")
parse = Parse()
parse.set_error_handler(ErrorHandler(strategy=ErrorStrategy.CONTINUE))
flow.add_routine(Src(), "src"); flow.add_routine(parse, "parse"); flow.add_routine(Printer(), "out")
flow.connect("src", "out", "parse", "input"); flow.connect("parse", "output", "out", "input")
js = flow.execute("src", entry_params={"items": [1, -2, 3]}); wait(flow, js)
print(js.status)
print(sorted(js.routine_states.items()))
for r in js.execution_history:
    print(r.routine_id, r.event_name, r.data)
