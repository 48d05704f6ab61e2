from routilux import Flow, Routine, JobState, TextRenderer


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("output", ["data"])

    def go(self, **kwargs):
        self.emit("output", data={"name": "routilux", "tags": ["flow", "event"], "meta": {"v": 10}})


class Out(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, rendered_text=None, original_type=None, **kwargs):
        print(f"[{original_type}]")
        print(rendered_text)


for fmt in ["xml", "markdown"]:
    r = TextRenderer()
    r.set_config(tag_format=fmt)
    flow = Flow(flow_id=f"render_{fmt}")
    flow.add_routine(Src(), "src")
    flow.add_routine(r, "render")
    flow.add_routine(Out(), "out")
    flow.connect("src", "output", "render", "input")
    flow.connect("render", "output", "out", "input")
    js = flow.execute("src")
    JobState.wait_for_completion(flow, js, timeout=5)
    print(fmt, js.status)
    flow.shutdown()
