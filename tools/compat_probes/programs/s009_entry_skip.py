from routilux import Flow, Routine, JobState, ErrorHandler, ErrorStrategy


class Step(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.run)

    def run(self, **kwargs):
        raise RuntimeError("step cannot run today")


step = Step()
step.set_error_handler(ErrorHandler(strategy="skip"))
flow = Flow("skip_flow")
flow.add_routine(step, "step")
js = flow.execute("step")
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)
st = js.get_routine_state("step")
print(st.get("status"), "|", st.get("error"))
print(step.get_error_handler().strategy == ErrorStrategy.SKIP)
flow.shutdown()
