from routilux import Flow, Routine, JobState, ErrorHandler, ErrorStrategy


class Feed(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.feed)
        self.define_event("item", ["value"])

    def feed(self, values=None, **kwargs):
        for v in values:
            self.emit("item", value=v)


class Parse(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.parse)
        self.define_event("parsed", ["number"])

    def parse(self, value=None, **kwargs):
        self.emit("parsed", number=int(value))


class Sum(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.add)

    def add(self, number=None, **kwargs):
        ctx = self.get_execution_context()
        total = ctx.job_state.get_shared_data("total", 0)
        ctx.job_state.update_shared_data("total", total + number)


parse = Parse()
parse.set_error_handler(ErrorHandler(strategy=ErrorStrategy.CONTINUE))
flow = Flow(flow_id="sum_flow")
flow.add_routine(Feed(), "feed")
flow.add_routine(parse, "parse")
flow.add_routine(Sum(), "sum")
flow.connect("feed", "item", "parse", "input")
flow.connect("parse", "parsed", "sum", "input")

job = flow.execute("feed", entry_params={"values": ["1", "two", "3", "4.5", "10"]})
JobState.wait_for_completion(flow, job, timeout=10)
print("status", job.status)
print("total", job.get_shared_data("total"))
errors = [r for r in job.execution_history if r.event_name == "error"]
print("errors", len(errors))
for r in errors:
    print(" ", r.routine_id, r.data["error"])
print("parse state", job.get_routine_state("parse"))
flow.shutdown()
