"""DataFlattener flattening nested config."""
from routilux import Flow, Routine, DataFlattener, JobState


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("output", ["data"])

    def go(self, **kwargs):
        self.emit("output", data={"db": {"host": "localhost", "port": 5432}, "debug": True, "tags": ["x", "y"]})


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, flattened_data=None, original_type=None, depth=None, **kwargs):
        for k in sorted(flattened_data):
            print(k, "=", flattened_data[k])
        print("type:", original_type, "depth:", depth)


flow = Flow(flow_id="flat")
fl = DataFlattener()
fl.set_config(separator="__")
flow.add_routine(Src(), "src")
flow.add_routine(fl, "flat")
flow.add_routine(Show(), "show")
flow.connect("src", "output", "flat", "input")
flow.connect("flat", "output", "show", "input")
job = flow.execute("src")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
