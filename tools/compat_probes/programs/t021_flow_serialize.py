"""Serialize a flow of plain Routine objects and rebuild it from the dict."""
from routilux import Flow, Routine, ErrorHandler, ErrorStrategy, JobState


def make(name):
    r = Routine()
    r.set_config(label=name, retries=None)
    r.define_slot("trigger")
    r.define_slot("input")
    r.define_event("output", ["value"])
    return r


flow = Flow(flow_id="portable", execution_strategy="concurrent", max_workers=3)
a = make("first")
a.set_error_handler(ErrorHandler(strategy=ErrorStrategy.RETRY, max_retries=4, is_critical=True))
b = make("second")
flow.add_routine(a, "a")
flow.add_routine(b, "b")
flow.connect("a", "output", "b", "input", param_mapping={"value": "v"})
flow.set_error_handler(ErrorHandler(strategy="continue"))

data = flow.serialize()
print(sorted(data.keys()))
print(data["flow_id"], data["execution_strategy"], data["max_workers"], sorted(data["routines"].keys()))

copy = Flow()
copy.deserialize(data)
print(copy.flow_id, copy.execution_strategy, copy.max_workers, sorted(copy.routines), len(copy.connections))
r = copy.routines["a"]
print(type(r).__name__, r.config())
eh = r.get_error_handler()
print(eh.strategy, eh.max_retries, eh.is_critical)
print("flow handler:", copy.error_handler.strategy)
print(copy.connections[0].param_mapping)
rb = copy.routines["b"]
print(rb.get_slot("input") is not None, rb.get_event("output") is not None, rb.get_slot("nope"))
