"""Fan-out: one source feeding three independent workers."""
from routilux import Flow, Routine, JobState


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        self.emit("output", data=kwargs.get("text", "hello"))


class Worker(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.work)

    def work(self, data=None, **kwargs):
        ctx = self.get_execution_context()
        op = self.get_config("op")
        if op == "upper":
            result = data.upper()
        elif op == "reverse":
            result = data[::-1]
        else:
            result = len(data)
        ctx.job_state.update_routine_state(ctx.routine_id, {"op": op, "result": result})


flow = Flow(flow_id="fan_out")
flow.add_routine(Source(), "source")
for name, op in [("w1", "upper"), ("w2", "reverse"), ("w3", "length")]:
    w = Worker()
    w.set_config(op=op)
    flow.add_routine(w, name)
    flow.connect("source", "output", name, "input")

job = flow.execute("source", entry_params={"text": "routilux"})
JobState.wait_for_completion(flow, job, timeout=10)
print(f"Status: {job.status}")
for rid in ["source", "w1", "w2", "w3"]:
    print(f"{rid}: {job.get_routine_state(rid)}")
flow.shutdown()
