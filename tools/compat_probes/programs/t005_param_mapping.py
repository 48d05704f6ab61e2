"""Connections with param_mapping rename fields between routines."""
from routilux import Flow, Routine


class User(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.emit_user)
        self.define_event("user", ["uid", "full_name"])

    def emit_user(self, **kwargs):
        self.emit("user", uid=42, full_name="Ada Lovelace")


class Greeter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.greet)

    def greet(self, name=None, user_id=None, **kwargs):
        print(f"hello {name} (#{user_id}) extra={sorted(kwargs)}")


flow = Flow(flow_id="mapping")
flow.add_routine(User(), "user")
flow.add_routine(Greeter(), "greeter")
conn = flow.connect("user", "user", "greeter", "input", param_mapping={"uid": "user_id", "full_name": "name"})
print("mapping:", conn.param_mapping)
job = flow.execute("user")
flow.wait_for_completion(timeout=5)
print("entry:", job.get_routine_state("user"))
for r in job.get_execution_history():
    print(r.routine_id, r.event_name, sorted(r.data.items()))
