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
        self.trigger_slot = self.define_slot("trigger", handler=self.process)
        self.ask = self.define_event("user_input_required", ["question"])

    def process(self, data=None, **kwargs):
        self.emit_deferred_event("user_input_required", question="What is your name?")
        ctx = self.get_execution_context()
        if ctx:
            ctx.flow.pause(ctx.job_state, reason="Waiting for user input")

class Asker(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.handle)

    def handle(self, question=None, **kwargs):
        print("asked:", question)

flow = Flow(flow_id="agent")
flow.add_routine(UserInteraction(), "ui")
flow.add_routine(Asker(), "asker")
flow.connect("ui", "user_input_required", "asker", "input")
job_state = flow.execute("ui")
print(job_state.status)
print([(e["routine_id"], e["event_name"], e["data"]) for e in job_state.deferred_events])
print([(p.get("reason"), p.get("current_routine_id")) for p in job_state.pause_points])
print(sorted(job_state.pause_points[0].keys()))
resumed = flow.resume(job_state)
JobState.wait_for_completion(flow, resumed, timeout=5.0)
print(resumed is job_state, resumed.status, len(resumed.deferred_events))
print([(r.routine_id, r.event_name) for r in resumed.execution_history])
