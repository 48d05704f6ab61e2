"""Pause from inside the entry handler, then resume."""
from routilux import Flow, Routine, JobState


class Producer(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.produce)
        self.define_event("item", ["n"])

    def produce(self, **kwargs):
        ctx = self.get_execution_context()
        ctx.flow.pause(ctx.job_state, reason="waiting for approval", checkpoint={"sent": 0})
        self.emit("item", n=1)
        self.emit("item", n=2)


class Consumer(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.consume)

    def consume(self, n=None, **kwargs):
        print("consumed", n)


flow = Flow(flow_id="pausable")
flow.add_routine(Producer(), "producer")
flow.add_routine(Consumer(), "consumer")
flow.connect("producer", "item", "consumer", "input")
job_state = flow.execute("producer")
JobState.wait_for_completion(flow, job_state, timeout=5)
print("after execute:", job_state.status)
print("pause reason:", job_state.pause_points[-1]["reason"])
print("checkpoint:", job_state.pause_points[-1]["checkpoint"])
resumed = flow.resume(job_state)
JobState.wait_for_completion(flow, resumed, timeout=5)
print("same object:", resumed is job_state)
print("after resume:", resumed.status)
flow.shutdown()
