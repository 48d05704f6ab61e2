"""Pause on 'host A', ship flow + job as dicts, resume on 'host B'."""
import json

from routilux import Flow, Routine, JobState


class Approve(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.request)
        self.define_event("approved", ["by"])

    def request(self, doc=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("doc", doc)
        self.emit_deferred_event("approved", by="manager")
        ctx.flow.pause(ctx.job_state, reason="needs approval")


class Publish(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.publish)

    def publish(self, by=None, **kwargs):
        print("publishing, approved by", by)


def build(flow_id):
    flow = Flow(flow_id=flow_id)
    flow.add_routine(Approve(), "approve")
    flow.add_routine(Publish(), "publish")
    flow.connect("approve", "approved", "publish", "input")
    return flow


host_a = build("docs")
job = host_a.execute("approve", entry_params={"doc": "report.pdf"})
print("host A:", job.status)
wire = json.dumps(job.serialize())

host_b = build("docs")
job_b = JobState()
job_b.deserialize(json.loads(wire))
print("host B loaded:", job_b.status, len(job_b.deferred_events), job_b.get_shared_data("doc"))
host_b.resume(job_b)
JobState.wait_for_completion(host_b, job_b, timeout=5)
print("host B:", job_b.status)
