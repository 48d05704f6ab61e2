from routilux import Flow, Routine, JobState, CallbackOutputHandler

received = []


def on_output(job_id, routine_id, output_type, data, timestamp):
    received.append((routine_id, output_type, data))


class Worker(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.process)

    def process(self, data=None, **kwargs):
        self.send_output("status", progress=0, status="starting")
        self.send_output("user_data", message="Processing", value=data)
        self.send_output("status", progress=100, status="done")


flow = Flow(flow_id="outputs")
flow.add_routine(Worker(), "worker")
# The handler is set on the JobState that execute() creates; collect via output_log too
job_state = flow.execute("worker", entry_params={"data": "abc"})
JobState.wait_for_completion(flow, job_state, timeout=5)
print("outputs logged:", len(job_state.output_log))
for entry in job_state.output_log:
    print(entry["routine_id"], entry["output_type"], entry["data"])

js = JobState(flow_id="outputs")
js.set_output_handler(CallbackOutputHandler(on_output))
js.send_output("worker", "result", {"answer": 42})
print("callback got:", received)
print("handler class:", type(js.output_handler).__name__)
flow.shutdown()
