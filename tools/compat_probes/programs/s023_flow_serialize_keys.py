from routilux import Flow, Routine, ErrorHandler, ErrorStrategy


class A(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["v"])

    def go(self, **kw):
        self.emit("out", v=1)


class B(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("inp", handler=self.take)

    def take(self, v=None):
        pass


flow = Flow(flow_id="keys_demo", execution_strategy="concurrent", max_workers=3)
flow.set_error_handler(ErrorHandler(strategy=ErrorStrategy.CONTINUE))
flow.add_routine(A(), "a")
flow.add_routine(B(), "b")
flow.connect("a", "out", "b", "inp", param_mapping={"v": "v"})
data = flow.serialize()
print("flow keys:", sorted(data))
print("flow_id:", data["flow_id"])
print("strategy:", data["execution_strategy"], data["max_workers"])
print("routine ids:", sorted(data["routines"]))
print("connections:", len(data["connections"]))
print("error handler strategy:", data["error_handler"]["strategy"])
flow.shutdown()
