"""Trying routines out by hand with Event/Slot objects, outside a flow."""
from routilux import Routine, Connection


class Numbers(Routine):
    def __init__(self):
        super().__init__()
        self.out = self.define_event("out", ["n"])


class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.inp = self.define_slot("inp", handler=self.show)

    def show(self, **kwargs):
        print("printer:", kwargs)


class Summer(Routine):
    def __init__(self):
        super().__init__()
        self.inp = self.define_slot("inp", handler=self.show, merge_strategy="append")

    def show(self, n):
        print("summer sum:", sum(n))


numbers, printer, summer = Numbers(), Printer(), Summer()
numbers.out.connect(printer.inp)
summer.inp.connect(numbers.out)
numbers.emit("out", n=1)
numbers.emit("out", n=2)
print("connected slots:", len(numbers.out.connected_slots))
numbers.out.disconnect(printer.inp)
numbers.emit("out", n=3)
printer.inp.receive({"n": 99, "manual": True})
c = Connection(numbers.out, printer.inp, param_mapping={"n": "value"})
c.activate({"n": 7})
print("done")
