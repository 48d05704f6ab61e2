"""Tutorial pipeline: source -> transform -> sink."""
from routilux import Flow, Routine, JobState


class NumberSource(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.generate)
        self.output_event = self.define_event("output", ["value"])

    def generate(self, count=3, **kwargs):
        for i in range(1, count + 1):
            self.emit("output", value=i)


class Doubler(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.process)
        self.output_event = self.define_event("output", ["value"])

    def process(self, value=None, **kwargs):
        self.emit("output", value=value * 2)


class Collector(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.collect)

    def collect(self, value=None, **kwargs):
        ctx = self.get_execution_context()
        items = ctx.job_state.get_shared_data("results", [])
        items.append(value)
        ctx.job_state.update_shared_data("results", items)


flow = Flow(flow_id="tutorial")
flow.add_routine(NumberSource(), "source")
flow.add_routine(Doubler(), "doubler")
flow.add_routine(Collector(), "sink")
flow.connect("source", "output", "doubler", "input")
flow.connect("doubler", "output", "sink", "input")

job_state = flow.execute("source", entry_params={"count": 4})
JobState.wait_for_completion(flow, job_state, timeout=10)
print("status:", job_state.status)
print("results:", job_state.get_shared_data("results"))
print("records:", len(job_state.execution_history))
flow.shutdown()
