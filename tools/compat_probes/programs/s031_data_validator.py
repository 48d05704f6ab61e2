from routilux import Flow, Routine, JobState, DataValidator


class Users(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("user", ["data"])

    def send(self, users=(), **kwargs):
        for u in users:
            self.emit("user", data=u)


class Accept(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.accept)

    def accept(self, validated_data=None, **kwargs):
        print("accepted:", validated_data)


class Reject(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.reject)

    def reject(self, errors=None, data=None, **kwargs):
        print("rejected:", data, "->", errors)


validator = DataValidator()
validator.set_config(
    rules={"name": "not_empty", "age": "is_positive", "email": lambda v: "@" in str(v)},
    required_fields=["name", "age"],
)
flow = Flow(flow_id="validate")
flow.add_routine(Users(), "users")
flow.add_routine(validator, "validator")
flow.add_routine(Accept(), "accept")
flow.add_routine(Reject(), "reject")
flow.connect("users", "user", "validator", "input")
flow.connect("validator", "valid", "accept", "input")
flow.connect("validator", "invalid", "reject", "input")
users = [
    {"name": "ann", "age": 30, "email": "ann@example.org"},
    {"name": "", "age": 20},
    {"age": -4},
    {"name": "bo", "age": 40, "email": "nope"},
]
js = flow.execute("users", entry_params={"users": users})
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
flow.shutdown()
