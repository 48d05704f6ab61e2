"""TextRenderer then TextClipper on a nested dict."""
from routilux import Flow, Routine, TextRenderer, TextClipper, JobState


class Start(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("output", ["data"])

    def go(self, payload=None, **kwargs):
        self.emit("output", data=payload)


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, clipped_text=None, was_clipped=None, original_length=None, **kwargs):
        print(clipped_text)
        print("clipped:", was_clipped, "original length:", original_length)


renderer = TextRenderer()
clipper = TextClipper()
clipper.set_config(max_length=40)
flow = Flow(flow_id="text")
flow.add_routine(Start(), "start")
flow.add_routine(renderer, "render")
flow.add_routine(clipper, "clip")
flow.add_routine(Show(), "show")
flow.connect("start", "output", "render", "input")
flow.connect("render", "output", "clip", "input", param_mapping={"rendered_text": "text"})
flow.connect("clip", "output", "show", "input")
job = flow.execute("start", entry_params={"payload": {"user": {"name": "Ann", "tags": ["a", "b"]}, "score": 9}})
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
