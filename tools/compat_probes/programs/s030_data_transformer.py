from routilux import Flow, Routine, JobState, DataTransformer


class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("output", ["data"])

    def go(self, values=(), **kwargs):
        for v in values:
            self.emit("output", data=v)


class Show(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.show)

    def show(self, transformed_data=None, transformation_applied=None, errors=None, **kwargs):
        print(repr(transformed_data), transformation_applied, errors)


t = DataTransformer()
t.set_config(transformations=["strip_whitespace", "uppercase", "no_such_thing"])
flow = Flow(flow_id="transform")
flow.add_routine(Src(), "src")
flow.add_routine(t, "t")
flow.add_routine(Show(), "show")
flow.connect("src", "output", "t", "input")
flow.connect("t", "output", "show", "input")
js = flow.execute("src", entry_params={"values": ["  hello ", " World", 7]})
JobState.wait_for_completion(flow, js, timeout=5)
print(js.status)

t2 = DataTransformer()
t2.set_config(transformations=["to_int"])
flow2 = Flow(flow_id="transform2")
flow2.add_routine(Src(), "src")
flow2.add_routine(t2, "t")
flow2.add_routine(Show(), "show")
flow2.connect("src", "output", "t", "input")
flow2.connect("t", "output", "show", "input")
js2 = flow2.execute("src", entry_params={"values": ["12", "x"]})
JobState.wait_for_completion(flow2, js2, timeout=5)
print(js2.status)
flow.shutdown()
flow2.shutdown()
