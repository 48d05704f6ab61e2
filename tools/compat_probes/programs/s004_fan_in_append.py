"""Fan-in: two branches feed an aggregator slot with the append merge strategy."""
from routilux import Flow, Routine, JobState


class Splitter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.split)
        self.define_event("left", ["item"])
        self.define_event("right", ["item"])

    def split(self, items=None, **kwargs):
        for n in items:
            if n % 2 == 0:
                self.emit("left", item=n)
            else:
                self.emit("right", item=n)


class Square(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.run)
        self.define_event("output", ["item"])

    def run(self, item=None, **kwargs):
        self.emit("output", item=item * item)


class Aggregator(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.aggregate, merge_strategy="append")

    def aggregate(self, **kwargs):
        print("aggregator sees:", kwargs)


flow = Flow(flow_id="fan_in")
flow.add_routine(Splitter(), "split")
flow.add_routine(Square(), "sq_left")
flow.add_routine(Square(), "sq_right")
flow.add_routine(Aggregator(), "agg")
flow.connect("split", "left", "sq_left", "input")
flow.connect("split", "right", "sq_right", "input")
flow.connect("sq_left", "output", "agg", "input")
flow.connect("sq_right", "output", "agg", "input")

job_state = flow.execute("split", entry_params={"items": [1, 2, 3, 4]})
JobState.wait_for_completion(flow, job_state, timeout=10)
print("final status:", job_state.status)
flow.shutdown()
