"""Host A pauses a job and saves flow + job to files; host B loads both and resumes."""
import json

from serilux import register_serializable

from routilux import Flow, Routine, JobState


@register_serializable
class Intake(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.take)
        self.define_event("approved", ["order"])

    def take(self, order=None, **kwargs):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("order", order)
        self.emit_deferred_event("approved", order=order)
        ctx.flow.pause(ctx.job_state, reason="needs approval")


@register_serializable
class Ship(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.ship)

    def ship(self, order=None, **kwargs):
        print("shipping order", order["id"], "x", order["qty"])


def build():
    flow = Flow(flow_id="orders")
    flow.add_routine(Intake(), "intake")
    flow.add_routine(Ship(), "ship")
    flow.connect("intake", "approved", "ship", "input")
    return flow


# Host A
flow_a = build()
job = flow_a.execute("intake", entry_params={"order": {"id": "A-7", "qty": 2}})
JobState.wait_for_completion(flow_a, job, timeout=5)
print("host A status:", job.status)
with open("flow.json", "w") as f:
    json.dump(flow_a.serialize(), f)
job.save("job.json")
flow_a.shutdown()

# Host B
flow_b = Flow()
with open("flow.json") as f:
    flow_b.deserialize(json.load(f))
job_b = JobState.load("job.json")
print("host B loaded:", job_b.status, job_b.get_shared_data("order"), len(job_b.deferred_events))
resumed = flow_b.resume(job_b)
JobState.wait_for_completion(flow_b, resumed, timeout=5)
print("host B status:", resumed.status)
print("deferred left:", len(resumed.deferred_events))
flow_b.shutdown()
