"""A small order-processing app: validate, price, notify; concurrent; several orders."""
from routilux import Flow, Routine, JobState, ErrorHandler, ErrorStrategy

PRICES = {"apple": 0.5, "pear": 0.75, "melon": 3.0}


class Intake(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.take)
        self.define_event("order", ["order"])

    def take(self, order=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("customer", order["customer"])
        self.emit("order", order=order)


class Pricing(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.price)
        self.define_event("priced", ["total", "lines"])

    def price(self, order=None, **kwargs):
        lines = [(item, qty, PRICES[item] * qty) for item, qty in order["items"]]
        self.emit("priced", total=round(sum(l[2] for l in lines), 2), lines=lines)


class Notify(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.notify)

    def notify(self, total=None, lines=None, **kwargs):
        ctx = self.get_execution_context()
        self.send_output("email", to=ctx.job_state.get_shared_data("customer"), total=total)
        ctx.job_state.update_routine_state(ctx.routine_id, {"sent": True, "total": total})


flow = Flow(flow_id="orders", execution_strategy="concurrent", max_workers=3)
flow.add_routine(Intake(), "intake")
pricing = Pricing()
pricing.set_error_handler(ErrorHandler(strategy=ErrorStrategy.CONTINUE))
flow.add_routine(pricing, "pricing")
flow.add_routine(Notify(), "notify")
flow.connect("intake", "order", "pricing", "input")
flow.connect("pricing", "priced", "notify", "input")

orders = [
    {"customer": "ann", "items": [("apple", 4), ("melon", 1)]},
    {"customer": "bob", "items": [("kiwi", 1)]},
    {"customer": "cy", "items": [("pear", 2)]},
]
jobs = [flow.execute("intake", entry_params={"order": o}) for o in orders]
for job in jobs:
    JobState.wait_for_completion(flow, job, timeout=10)
for job in jobs:
    print(job.get_shared_data("customer"), job.status,
          job.get_routine_state("notify"),
          [e["data"] for e in job.output_log],
          (job.get_routine_state("pricing") or {}).get("status"))
flow.shutdown(wait=True)
