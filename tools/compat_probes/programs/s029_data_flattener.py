from routilux import Flow, Routine, JobState, DataFlattener


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("output", ["data"])

    def go(self, payload=None, **kwargs):
        self.emit("output", data=payload)


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, **kwargs):
        print("flattened:", kwargs["flattened_data"])
        print("type:", kwargs["original_type"], "depth:", kwargs["depth"])


flat = DataFlattener()
flat.set_config(separator="_")
flow = Flow(flow_id="flatten")
flow.add_routine(Src(), "src")
flow.add_routine(flat, "flat")
flow.add_routine(Show(), "show")
flow.connect("src", "output", "flat", "input")
flow.connect("flat", "output", "show", "input")
payload = {"user": {"name": "ann", "address": {"city": "Oslo", "zip": "0150"}}, "ids": [1, 2]}
js = flow.execute("src", entry_params={"payload": payload})
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
flow.shutdown()
