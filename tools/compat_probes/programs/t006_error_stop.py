"""Default STOP strategy: a failing downstream routine fails the job."""
from routilux import Flow, Routine, JobState


class Start(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.start)
        self.define_event("next", ["n"])

    def start(self, n=1, **kwargs):
        self.emit("next", n=n)


class Divide(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.divide)

    def divide(self, n=None, **kwargs):
        print("dividing 10 by", n)
        print(10 / n)


flow = Flow(flow_id="stopflow")
flow.add_routine(Start(), "start")
flow.add_routine(Divide(), "divide")
flow.connect("start", "next", "divide", "input")

for n in (2, 0):
    job = flow.execute("start", entry_params={"n": n})
    JobState.wait_for_completion(flow, job, timeout=10)
    st = job.get_routine_state("divide") or {}
    print(n, job.status, st.get("status"), st.get("error"))
