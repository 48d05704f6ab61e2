"""CallbackOutputHandler collecting outputs from two routines."""
from routilux import Flow, Routine, CallbackOutputHandler, JobState

seen = []


def on_output(job_id, routine_id, output_type, data, timestamp=None):
    seen.append((routine_id, output_type, data))


class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.run)
        self.define_event("next", ["v"])

    def run(self, v=0, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.set_output_handler(CallbackOutputHandler(on_output))
        self.send_output("status", message="A started", v=v)
        self.emit("next", v=v + 1)


class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.run)

    def run(self, v=None, **kwargs):
        self.send_output("result", v=v * 100)


flow = Flow(flow_id="cb")
flow.add_routine(A(), "a")
flow.add_routine(B(), "b")
flow.connect("a", "next", "b", "input")
job = flow.execute("a", entry_params={"v": 1})
JobState.wait_for_completion(flow, job, timeout=5)
for s in seen:
    print(s)
print(job.status, len(job.output_log))
