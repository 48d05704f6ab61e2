from routilux import Flow, Routine, JobState


class Ticker(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.tick)
        self.tick_event = self.define_event("tick", ["n", "label"])

    def tick(self, **kwargs):
        self.emit("tick", n=1, label="first")
        self.emit("tick", n=2)
        self.emit("tick", label="third")


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)

    def show(self, **kwargs):
        print("handler got", sorted(kwargs.items()))


flow = Flow(flow_id="override_demo")
t = flow.add_routine(Ticker(), "ticker")
s = flow.add_routine(Show(), "show")
flow.connect(t, "tick", s, "input")
job_state = flow.execute(t)
JobState.wait_for_completion(flow, job_state, timeout=5.0)
print("merge strategy:", flow.routines["show"].get_slot("input").merge_strategy)
print("status:", job_state.status)
flow.shutdown()
