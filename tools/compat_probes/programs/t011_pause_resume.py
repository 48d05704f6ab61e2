"""Pause a job from inside a routine, then resume it."""
from routilux import Flow, Routine, JobState


class Ask(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.ask)
        self.define_event("answer", ["text"])

    def ask(self, question=None, **kwargs):
        print("asking:", question)
        self.emit_deferred_event("answer", text="forty-two")
        ctx = self.get_execution_context()
        ctx.flow.pause(ctx.job_state, reason="waiting for user")


class Reply(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.reply)

    def reply(self, text=None, **kwargs):
        print("got reply:", text)


flow = Flow(flow_id="ask-flow")
flow.add_routine(Ask(), "ask")
flow.add_routine(Reply(), "reply")
flow.connect("ask", "answer", "reply", "input")

job = flow.execute("ask", entry_params={"question": "meaning of life?"})
print("after execute:", job.status)
print("deferred:", [(d["routine_id"], d["event_name"], d["data"]) for d in job.deferred_events])
print("pause reason:", job.pause_points[-1]["reason"])
flow.resume(job)
JobState.wait_for_completion(flow, job, timeout=5)
print("after resume:", job.status)
print("deferred now:", job.deferred_events)
