"""Entry routine failing under CONTINUE and SKIP strategies."""
from routilux import Flow, Routine, ErrorHandler, ErrorStrategy, JobState


class Bad(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)

    def go(self, **kwargs):
        raise ValueError("bad input")


for strategy in (ErrorStrategy.CONTINUE, ErrorStrategy.SKIP):
    flow = Flow(flow_id=f"entry-{strategy.value}")
    r = Bad()
    r.set_error_handler(ErrorHandler(strategy=strategy))
    flow.add_routine(r, "bad")
    job = flow.execute("bad")
    JobState.wait_for_completion(flow, job, timeout=5)
    st = job.get_routine_state("bad")
    print(strategy.value, job.status, st.get("status"), st.get("error"))
