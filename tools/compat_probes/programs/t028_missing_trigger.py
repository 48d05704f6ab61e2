"""An entry routine without a trigger slot: the job reports the problem."""
from routilux import Flow, Routine


class NoTrigger(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=lambda **kw: None)


flow = Flow(flow_id="no-trigger")
flow.add_routine(NoTrigger(), "entry")
job = flow.execute("entry")
print("status:", job.status)
state = job.get_routine_state("entry")
print("routine:", state.get("status"))
print("error:", state.get("error"))
