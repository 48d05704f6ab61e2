"""A join routine with two input slots, waiting for both sides."""
from routilux import Flow, Routine, JobState


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("left", ["value"])
        self.define_event("right", ["value"])

    def go(self, **kwargs):
        self.emit("left", value="L")
        self.emit("right", value="R")


class Join(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("left", handler=self.on_left)
        self.define_slot("right", handler=self.on_right)
        self.define_event("joined", ["pair"])

    def _store(self, side, value):
        ctx = self.get_execution_context()
        state = dict(ctx.job_state.get_routine_state(ctx.routine_id) or {})
        state[side] = value
        ctx.job_state.update_routine_state(ctx.routine_id, state)
        if "left" in state and "right" in state:
            self.emit("joined", pair=(state["left"], state["right"]))

    def on_left(self, value=None, **kwargs):
        self._store("left", value)

    def on_right(self, value=None, **kwargs):
        self._store("right", value)


class Out(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=lambda pair=None, **kw: print("joined:", pair))


flow = Flow(flow_id="join")
flow.add_routine(Src(), "src")
flow.add_routine(Join(), "join")
flow.add_routine(Out(), "out")
flow.connect("src", "left", "join", "left")
flow.connect("src", "right", "join", "right")
flow.connect("join", "joined", "out", "input")
job = flow.execute("src")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status, job.get_routine_state("join"))
