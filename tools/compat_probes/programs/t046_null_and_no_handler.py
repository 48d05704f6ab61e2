"""send_output without a handler, and with NullOutputHandler: only output_log keeps it."""
from routilux import Flow, Routine, NullOutputHandler, JobState


class Talker(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.talk)

    def talk(self, quiet=False, **kwargs):
        if quiet:
            ctx = self.get_execution_context()
            ctx.job_state.set_output_handler(NullOutputHandler())
        self.send_output("log", quiet=quiet)


flow = Flow(flow_id="talk")
flow.add_routine(Talker(), "talker")
for quiet in (False, True):
    job = flow.execute("talker", entry_params={"quiet": quiet})
    JobState.wait_for_completion(flow, job, timeout=5)
    print(job.status, [(e["routine_id"], e["output_type"], e["data"]) for e in job.output_log])
try:
    Talker().send_output("x", a=1)
except RuntimeError as exc:
    print("outside:", exc)
try:
    Talker().emit_deferred_event("x", a=1)
except RuntimeError as exc:
    print("outside:", exc)
