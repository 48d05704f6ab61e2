"""Custom merge strategy: keep a running total and count."""
from routilux import Flow, Routine, JobState


def running_total(old, new):
    merged = dict(old)
    merged["total"] = old.get("total", 0) + new.get("amount", 0)
    merged["count"] = old.get("count", 0) + 1
    merged["last"] = new.get("amount")
    return merged


class Payments(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.emit_all)
        self.define_event("paid", ["amount"])

    def emit_all(self, amounts=(), **kwargs):
        for a in amounts:
            self.emit("paid", amount=a)


class Ledger(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.record, merge_strategy=running_total)

    def record(self, total=None, count=None, last=None, **kwargs):
        print(f"after {count} payment(s): total={total} last={last}")


flow = Flow(flow_id="ledger")
flow.add_routine(Payments(), "payments")
flow.add_routine(Ledger(), "ledger")
flow.connect("payments", "paid", "ledger", "input")
js = flow.execute("payments", entry_params={"amounts": [10, 25, 5]})
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
flow.shutdown()
