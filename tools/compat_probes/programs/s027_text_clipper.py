from routilux import Flow, Routine, JobState, TextClipper


class Source(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("output", ["text"])

    def send(self, texts=(), **kwargs):
        for t in texts:
            self.emit("output", text=t)


class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, clipped_text=None, was_clipped=None, original_length=None, **kwargs):
        print(repr(clipped_text), was_clipped, original_length)


clipper = TextClipper()
clipper.set_config(max_length=20)
flow = Flow(flow_id="clip")
flow.add_routine(Source(), "source")
flow.add_routine(clipper, "clipper")
flow.add_routine(Sink(), "sink")
flow.connect("source", "output", "clipper", "input")
flow.connect("clipper", "output", "sink", "input")
job = flow.execute("source", entry_params={"texts": ["short", "line one\nline two\nline three\nline four\nline five", "x" * 30]})
JobState.wait_for_completion(flow, job, timeout=5)
print(job.status)
print("max_length:", clipper.get_config("max_length"))
flow.shutdown()
