"""set_as_optional(SKIP) on an enrichment step that fails."""
from routilux import Flow, Routine, ErrorStrategy


class Order(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.place)
        self.define_event("placed", ["order_id"])

    def place(self, order_id=None, **kwargs):
        self.emit("placed", order_id=order_id)


class Enrich(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.enrich)

    def enrich(self, order_id=None, **kwargs):
        raise KeyError(order_id)


class Audit(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.audit)

    def audit(self, order_id=None, **kwargs):
        print("audited", order_id)


flow = Flow(flow_id="skip")
flow.add_routine(Order(), "order")
enrich = Enrich()
enrich.set_as_optional(ErrorStrategy.SKIP)
flow.add_routine(enrich, "enrich")
flow.add_routine(Audit(), "audit")
flow.connect("order", "placed", "enrich", "input")
flow.connect("order", "placed", "audit", "input")
job = flow.execute("order", entry_params={"order_id": "A-1"})
flow.wait_for_completion(timeout=5, job_state=job)
print(job.status)
for rid in ("order", "enrich", "audit"):
    print(rid, job.get_routine_state(rid))
