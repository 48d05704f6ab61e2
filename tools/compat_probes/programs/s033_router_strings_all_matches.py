from routilux import Flow, Routine, JobState, ConditionalRouter

hits = []


class Numbers(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.send)
        self.define_event("out", ["data"])

    def send(self, **kwargs):
        for n in [3, 10, 15, 7]:
            self.emit("out", data={"n": n})


class Tap(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("in", handler=self.tap)

    def tap(self, data=None, route=None, **kwargs):
        hits.append((route, data["n"]))


router = ConditionalRouter()
router.set_config(route_priority="all_matches")
router.add_route("fizz", "data['n'] % 3 == 0")
router.add_route("buzz", "data['n'] % 5 == 0")
flow = Flow(flow_id="fizzbuzz")
flow.add_routine(Numbers(), "numbers")
flow.add_routine(router, "router")
flow.add_routine(Tap(), "fizz_tap")
flow.add_routine(Tap(), "buzz_tap")
flow.add_routine(Tap(), "other_tap")
flow.connect("numbers", "out", "router", "input")
flow.connect("router", "fizz", "fizz_tap", "in")
flow.connect("router", "buzz", "buzz_tap", "in")
flow.connect("router", "output", "other_tap", "in")
js = flow.execute("numbers")
JobState.wait_for_completion(flow, js, timeout=5)
for h in hits:
    print(h)
print(js.status)
flow.shutdown()
