"""Routine configuration: set_config, get_config, config()."""
from routilux import Routine, Flow, JobState


class Configured(Routine):
    def __init__(self):
        super().__init__()
        self.set_config(name="proc", timeout=30)
        self.define_slot("trigger", handler=self.run)

    def run(self, **kwargs):
        print("running with", self.get_config("timeout"), self.get_config("retries", 0))


r = Configured()
print(r.config())
r.set_config(timeout=60, retries=2)
print(r.get_config("timeout"), r.get_config("missing"), r.get_config("missing", "dflt"))
cfg = r.config()
cfg["name"] = "changed-copy"
print(r.get_config("name"))
print(sorted(r.config().items()))
flow = Flow(flow_id="cfg")
flow.add_routine(r, "r")
job = flow.execute("r")
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
print(repr(r).startswith("Configured["))
