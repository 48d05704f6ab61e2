from routilux import Flow, Routine, JobState


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["i"])

    def go(self, **kw):
        for i in range(3):
            self.emit("out", i=i)


class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("in", handler=self.take)

    def take(self, i=None, **kw):
        ctx = self.get_execution_context()
        got = ctx.job_state.get_shared_data("got", [])
        ctx.job_state.update_shared_data("got", got + [i])


flow = Flow(flow_id="switchy")
flow.add_routine(Src(), "src")
flow.add_routine(Sink(), "sink")
flow.connect("src", "out", "sink", "in")
print(flow.execution_strategy, flow.max_workers)

flow.set_execution_strategy("concurrent", max_workers=3)
print(flow.execution_strategy, flow.max_workers)
js = flow.execute("src")
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status, sorted(js.get_shared_data("got")))

flow.set_execution_strategy("sequential")
print(flow.execution_strategy, flow.max_workers)
js = flow.execute("src")
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status, js.get_shared_data("got"))

try:
    flow.set_execution_strategy("parallel")
except ValueError as e:
    print(f"{type(e).__name__}: {e}")
print(flow.execution_strategy)
flow.shutdown()
