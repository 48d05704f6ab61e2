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

class UserInteraction(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.process)
        self.define_event("user_input_required", ["question"])
    def process(self, data=None, **kwargs):
        self.emit_deferred_event("user_input_required", question="What is your name?")
        ctx = self.get_execution_context()
        if ctx:
            ctx.flow.pause(ctx.job_state, reason="Waiting for user input")
class Asker(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, question=None, **kw):
        print("asked:", question)
flow = Flow(flow_id="ui")
flow.add_routine(UserInteraction(), "ui"); flow.add_routine(Asker(), "ask")
flow.connect("ui", "user_input_required", "ask", "input")
js = flow.execute("ui", entry_params={"data": "x"})
print("after execute", js.status, js.deferred_events, len(js.pause_points))
print("routine states", js.routine_states)
flow.resume(js)
print(wait(flow, js), js.status, js.deferred_events)
print([(r.routine_id, r.event_name, r.data) for r in js.execution_history])
