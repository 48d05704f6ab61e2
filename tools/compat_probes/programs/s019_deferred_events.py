"""Deferred events: ask a question, pause, emit the event on resume."""
from routilux import Flow, Routine, JobState


class Agent(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.process)
        self.define_event("user_input_required", ["question"])

    def process(self, **kwargs):
        self.emit_deferred_event("user_input_required", question="What is your name?")
        ctx = self.get_execution_context()
        if ctx:
            ctx.flow.pause(ctx.job_state, reason="Waiting for user input")


class UI(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("ask", handler=self.ask)

    def ask(self, question=None, **kwargs):
        print("UI asks:", question)


flow = Flow(flow_id="agent_flow")
flow.add_routine(Agent(), "agent")
flow.add_routine(UI(), "ui")
flow.connect("agent", "user_input_required", "ui", "ask")

job_state = flow.execute("agent")
JobState.wait_for_completion(flow, job_state, timeout=5)
print("status:", job_state.status)
print("deferred:", [(d["routine_id"], d["event_name"], d["data"]) for d in job_state.deferred_events])
flow.resume(job_state)
JobState.wait_for_completion(flow, job_state, timeout=5)
print("status after resume:", job_state.status)
print("deferred left:", len(job_state.deferred_events))
flow.shutdown()
