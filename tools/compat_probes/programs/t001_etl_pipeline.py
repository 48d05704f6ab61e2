"""Three-stage ETL: extract -> transform -> load, printing the history."""
from routilux import Flow, Routine


class Extract(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.run)
        self.output_event = self.define_event("rows", ["rows"])

    def run(self, source=None, **kwargs):
        rows = [{"id": i, "name": n} for i, n in enumerate(["ann", "bob", "cy"])]
        print(f"extract from {source}: {len(rows)} rows")
        self.emit("rows", rows=rows)


class Transform(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.transform)
        self.output_event = self.define_event("output", ["rows"])

    def transform(self, rows=None, **kwargs):
        out = [dict(r, name=r["name"].title()) for r in rows]
        self.emit("output", rows=out)


class Load(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.load)

    def load(self, rows=None, **kwargs):
        for r in rows:
            print("load", r)
        ctx = self.get_execution_context()
        ctx.job_state.update_routine_state(ctx.routine_id, {"loaded": len(rows)})


flow = Flow(flow_id="etl")
e = flow.add_routine(Extract(), "extract")
t = flow.add_routine(Transform(), "transform")
l = flow.add_routine(Load(), "load")
flow.connect(e, "rows", t, "input")
flow.connect(t, "output", l, "input")

job = flow.execute(e, entry_params={"source": "db"})
flow.wait_for_completion(timeout=5, job_state=job)
print("status:", job.status)
print("load state:", job.get_routine_state("load"))
for rec in job.get_execution_history():
    print(rec.routine_id, rec.event_name, rec.data)
