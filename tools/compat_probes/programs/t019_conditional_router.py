"""ConditionalRouter with dict and string-expression routes."""
from routilux import Flow, Routine, ConditionalRouter, JobState


class Tickets(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("ticket", ["data"])

    def send(self, tickets=None, **kwargs):
        for t in tickets:
            self.emit("ticket", data=t)


class Queue(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.enqueue)

    def enqueue(self, data=None, route=None, **kwargs):
        ctx = self.get_execution_context()
        print(f"{ctx.routine_id}: {data['id']} via {route}")


router = ConditionalRouter()
router.set_config(default_route="normal", limit=100)
router.add_route("urgent", {"priority": "high"})
router.add_route("big", "data.get('size', 0) > config.get('limit', 0)")
flow = Flow(flow_id="router")
flow.add_routine(Tickets(), "tickets")
flow.add_routine(router, "router")
for name in ("urgent", "big", "normal"):
    flow.add_routine(Queue(), name)
router.add_route("normal", {"priority": "zzz-never"})
print([name for name, _ in router.get_config("routes")])
flow.connect("tickets", "ticket", "router", "input")
flow.connect("router", "urgent", "urgent", "input")
flow.connect("router", "big", "big", "input")
flow.connect("router", "normal", "normal", "input")
job = flow.execute("tickets", entry_params={"tickets": [
    {"id": 1, "priority": "high", "size": 500},
    {"id": 2, "priority": "low", "size": 500},
    {"id": 3, "priority": "low", "size": 5},
]})
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
