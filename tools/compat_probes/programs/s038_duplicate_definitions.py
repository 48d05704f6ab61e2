from routilux import Routine


class Thing(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input")
        self.define_event("output", ["value"])


t = Thing()
try:
    t.define_slot("input")
except ValueError as e:
    print("slot error:", e)
try:
    t.define_event("output")
except ValueError as e:
    print("event error:", e)
try:
    t.emit("missing", value=1)
except ValueError as e:
    print("emit error:", e)
print(t.get_slot("input").name, t.get_event("output").name)
print(t.get_slot("nope"), t.get_event("nope"))
print(t.get_event("output").output_params)
