"""Routines built from plain Routine() objects and plain function handlers."""
from routilux import Flow, Routine, JobState

seen = []


def make_source():
    r = Routine()
    out = r.define_event("out", ["word"])

    def on_trigger(**kwargs):
        for w in kwargs.get("words", []):
            r.emit("out", word=w)

    r.define_slot("trigger", handler=on_trigger)
    return r


def make_printer():
    r = Routine()

    def on_word(word):
        seen.append(word.title())
        print("got", word)

    r.define_slot("in", handler=on_word)
    return r


flow = Flow("plain")
flow.add_routine(make_source(), "src")
flow.add_routine(make_printer(), "printer")
flow.connect("src", "out", "printer", "in")
js = flow.execute("src", entry_params={"words": ["alpha", "beta", "gamma"]})
JobState.wait_for_completion(flow, js, timeout=5)
print(seen)
print(js.status)
flow.shutdown()
