"""set_as_critical: a critical routine that keeps failing fails the job."""
from routilux import Flow, Routine, JobState

tries = []


class Payment(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.charge)
        self.define_event("charged", ["amount"])

    def charge(self, amount=0, **kwargs):
        tries.append(amount)
        if amount > 100:
            raise RuntimeError("card declined")
        self.emit("charged", amount=amount)


flow = Flow(flow_id="pay")
p = Payment()
p.set_as_critical(max_retries=2, retry_delay=0.0)
h = p.get_error_handler()
print(h.strategy, h.max_retries, h.is_critical)
flow.add_routine(p, "payment")
for amount in (50, 500):
    job = flow.execute("payment", entry_params={"amount": amount})
    JobState.wait_for_completion(flow, job, timeout=5)
    st = job.get_routine_state("payment")
    print(amount, job.status, st.get("status"), st.get("error"), len(tries))
