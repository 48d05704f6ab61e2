"""Built-in DataTransformer with built-in and custom transformations."""
from routilux import Flow, Routine, DataTransformer, JobState


class Feed(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.feed)
        self.define_event("output", ["data"])

    def feed(self, text=None, **kwargs):
        self.emit("output", data=text)


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, transformed_data=None, transformation_applied=None, errors=None, **kwargs):
        print(repr(transformed_data), transformation_applied, errors)


def exclaim(s):
    return s + "!"


flow = Flow(flow_id="xform")
t = DataTransformer()
t.set_config(transformations=["strip_whitespace", "uppercase", "exclaim", "nope"])
t.register_transformation("exclaim", exclaim)
flow.add_routine(Feed(), "feed")
flow.add_routine(t, "xform")
flow.add_routine(Show(), "show")
flow.connect("feed", "output", "xform", "input")
flow.connect("xform", "output", "show", "input")
job = flow.execute("feed", entry_params={"text": "  hello world  "})
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
