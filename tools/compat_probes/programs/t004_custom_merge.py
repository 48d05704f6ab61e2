"""A custom merge function that sums counts across receives."""
from routilux import Flow, Routine


def sum_counts(old, new):
    merged = dict(old)
    for k, v in new.items():
        merged[k] = merged.get(k, 0) + v
    return merged


class Producer(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.produce)
        self.define_event("counts")

    def produce(self, **kwargs):
        self.emit("counts", apples=1, pears=2)
        self.emit("counts", apples=3)
        self.emit("counts", pears=5, plums=1)


class Counter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.on_counts, merge_strategy=sum_counts)

    def on_counts(self, **kwargs):
        print("running totals:", dict(sorted(kwargs.items())))


flow = Flow()
flow.add_routine(Producer(), "producer")
flow.add_routine(Counter(), "counter")
flow.connect("producer", "counts", "counter", "input")
job = flow.execute("producer")
flow.wait_for_completion(timeout=5)
print("routine state:", job.get_routine_state("counter"))
