"""Fan-in with an append merge strategy: an aggregator collects until it has all parts."""
from routilux import Flow, Routine, JobState


class Splitter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.split)
        self.define_event("part", ["item"])

    def split(self, items=None, **kwargs):
        for item in items:
            self.emit("part", item=item)


class Aggregator(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("parts", handler=self.collect, merge_strategy="append")
        self.define_event("done", ["items"])

    def collect(self, item=None, **kwargs):
        print("aggregator sees", item)
        if isinstance(item, list) and len(item) == 4:
            self.emit("done", items=item)


class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, items=None, **kwargs):
        print("final:", items)


flow = Flow(flow_id="fanin")
flow.add_routine(Splitter(), "split")
flow.add_routine(Aggregator(), "agg")
flow.add_routine(Printer(), "print")
flow.connect("split", "part", "agg", "parts")
flow.connect("agg", "done", "print", "input")
job = flow.execute("split", entry_params={"items": ["a", "b", "c", "d"]})
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
print([r.event_name for r in job.get_execution_history()])
