from routilux import Flow, Routine, JobState, ConditionalRouter


class Tickets(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("ticket", ["data"])

    def send(self, tickets=(), **kwargs):
        for t in tickets:
            self.emit("ticket", data=t)


class Queue_(Routine):
    def __init__(self, name):
        super().__init__()
        self.set_config(name=name)
        self.define_slot("input", handler=self.take)

    def take(self, data=None, route=None, **kwargs):
        print(f"{self.get_config('name')} <- #{data['id']} (route={route})")


router = ConditionalRouter()
router.add_route("urgent", lambda d: d.get("priority") == "high")
router.add_route("billing", lambda d: d.get("topic") == "billing")
flow = Flow(flow_id="tickets")
flow.add_routine(Tickets(), "tickets")
flow.add_routine(router, "router")
for name in ["urgent", "billing", "general"]:
    flow.add_routine(Queue_(name), name)
flow.connect("tickets", "ticket", "router", "input")
flow.connect("router", "urgent", "urgent", "input")
flow.connect("router", "billing", "billing", "input")
flow.connect("router", "output", "general", "input")
tickets = [
    {"id": 1, "priority": "high", "topic": "billing"},
    {"id": 2, "priority": "low", "topic": "billing"},
    {"id": 3, "priority": "low", "topic": "login"},
]
js = flow.execute("tickets", entry_params={"tickets": tickets})
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
flow.shutdown()
