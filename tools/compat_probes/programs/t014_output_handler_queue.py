"""send_output into a QueueOutputHandler set by the entry routine."""
import queue

from routilux import Flow, Routine, QueueOutputHandler, JobState

q = queue.Queue()
handler = QueueOutputHandler(q)


class Reporter(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.report)

    def report(self, items=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.set_output_handler(handler)
        for i, item in enumerate(items):
            self.send_output("progress", index=i, item=item)
        self.send_output("done", total=len(items))


flow = Flow(flow_id="reporter")
flow.add_routine(Reporter(), "reporter")
job = flow.execute("reporter", entry_params={"items": ["x", "y"]})
JobState.wait_for_completion(flow, job, timeout=5)
while not q.empty():
    o = q.get()
    print(o["routine_id"], o["output_type"], o["data"])
print("output_log:", [(e["output_type"], e["data"]) for e in job.output_log])
