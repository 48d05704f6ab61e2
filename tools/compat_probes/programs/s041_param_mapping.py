from routilux import Flow, Routine, JobState


class User(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.emit_user)
        self.define_event("user", ["user_name", "user_age"])

    def emit_user(self, **kwargs):
        self.emit("user", user_name="Grace", user_age=85)


class Card(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.render)

    def render(self, name=None, age=None):
        print(f"Card: {name} ({age})")


flow = Flow(flow_id="mapping")
flow.add_routine(User(), "user")
flow.add_routine(Card(), "card")
conn = flow.connect("user", "user", "card", "input", param_mapping={"user_name": "name", "user_age": "age"})
print("mapping:", conn.param_mapping)
js = flow.execute("user")
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
flow.shutdown()
