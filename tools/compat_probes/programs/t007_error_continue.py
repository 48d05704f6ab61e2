"""CONTINUE strategy on the flow: errors are recorded and the job completes."""
from routilux import Flow, Routine, ErrorHandler, ErrorStrategy, JobState


class Feed(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.feed)
        self.define_event("item", ["x"])

    def feed(self, **kwargs):
        for x in [1, "two", 3]:
            self.emit("item", x=x)


class Square(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.square)

    def square(self, x=None, **kwargs):
        print("square", x * x)


flow = Flow(flow_id="cont")
flow.set_error_handler(ErrorHandler(strategy=ErrorStrategy.CONTINUE))
flow.add_routine(Feed(), "feed")
flow.add_routine(Square(), "square")
flow.connect("feed", "item", "square", "input")
job = flow.execute("feed")
JobState.wait_for_completion(flow, job, timeout=5)
print("job status:", job.status)
print("square state:", job.get_routine_state("square"))
print("feed state:", job.get_routine_state("feed"))
