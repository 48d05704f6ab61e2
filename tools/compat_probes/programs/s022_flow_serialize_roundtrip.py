"""Serialize a flow to JSON, load it back into a new Flow and run it."""
import json

from routilux import Flow, Routine, JobState
from serilux import register_serializable


@register_serializable
class Greeter(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.greet)
        self.output_event = self.define_event("output", ["text"])

    def greet(self, name="world", **kwargs):
        greeting = self.get_config("greeting", "Hello")
        self.emit("output", text=f"{greeting}, {name}!")


@register_serializable
class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)

    def show(self, text=None, **kwargs):
        print("printer:", text)


greeter = Greeter()
greeter.set_config(greeting="Bonjour")
flow = Flow(flow_id="greeting_flow")
flow.add_routine(greeter, "greeter")
flow.add_routine(Printer(), "printer")
flow.connect("greeter", "output", "printer", "input")

with open("flow.json", "w") as f:
    json.dump(flow.serialize(), f)

with open("flow.json") as f:
    data = json.load(f)
new_flow = Flow()
new_flow.deserialize(data)
print("flow id:", new_flow.flow_id)
print("routines:", sorted(new_flow.routines))
print("connections:", len(new_flow.connections))
print("config:", new_flow.routines["greeter"].get_config("greeting"))
js = new_flow.execute("greeter", entry_params={"name": "Ada"})
JobState.wait_for_completion(new_flow, js, timeout=5)
print("status:", js.status)
new_flow.shutdown()
flow.shutdown()
