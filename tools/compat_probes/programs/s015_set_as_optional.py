from routilux import Flow, Routine, JobState, ErrorStrategy


class Start(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.start)
        self.define_event("go", ["msg"])

    def start(self, **kwargs):
        self.emit("go", msg="hi")


class Optional_(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.maybe)

    def maybe(self, msg=None, **kwargs):
        raise IOError("optional service unavailable")


class Required(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.must)

    def must(self, msg=None, **kwargs):
        print("required got", msg)


opt = Optional_()
opt.set_as_optional()
opt2 = Optional_()
opt2.set_as_optional(ErrorStrategy.SKIP)
flow = Flow(flow_id="optional")
flow.add_routine(Start(), "start")
flow.add_routine(opt, "optional")
flow.add_routine(opt2, "optional_skip")
flow.add_routine(Required(), "required")
for target in ["optional", "optional_skip", "required"]:
    flow.connect("start", "go", target, "input")
js = flow.execute("start")
JobState.wait_for_completion(flow, js, timeout=10)
print("handler strategies:", opt.get_error_handler().strategy.value, opt2.get_error_handler().strategy.value)
print("status:", js.status)
print("optional state:", js.get_routine_state("optional"))
print("optional_skip state:", js.get_routine_state("optional_skip"))
print("errors recorded:", sorted(r.routine_id for r in js.execution_history if r.event_name == "error"))
flow.shutdown()
