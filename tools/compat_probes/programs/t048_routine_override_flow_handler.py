"""Routine-level handler wins over the flow-level handler."""
from routilux import Flow, Routine, ErrorHandler, JobState


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out")

    def go(self, **kwargs):
        self.emit("out")


class Fails(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.fail)

    def fail(self, **kwargs):
        raise RuntimeError(self.get_config("msg"))


flow = Flow(flow_id="prio")
flow.set_error_handler(ErrorHandler(strategy="continue"))
flow.add_routine(Src(), "src")
a = Fails()
a.set_config(msg="a broke")
b = Fails()
b.set_config(msg="b broke")
b.set_error_handler(ErrorHandler(strategy="skip"))
flow.add_routine(a, "a")
flow.add_routine(b, "b")
flow.connect("src", "out", "a", "input")
flow.connect("src", "out", "b", "input")
job = flow.execute("src")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
print("flow handler:", flow.error_handler.strategy, "b handler:", b.get_error_handler().strategy)
print("a:", job.get_routine_state("a"))
print("b:", job.get_routine_state("b"))
print(len(job.get_execution_history()))
