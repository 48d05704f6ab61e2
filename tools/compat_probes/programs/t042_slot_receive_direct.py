"""Unit-testing a routine by feeding its slot directly, outside any flow."""
from routilux import Routine

results = []


class Averager(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.average, merge_strategy="append")

    def average(self, value=None, **kwargs):
        results.append(sum(value) / len(value))


class Latest(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)

    def show(self, value=None, unit=None, **kwargs):
        print("latest:", value, unit)


avg = Averager()
for v in (2, 4, 9):
    avg.input_slot.receive({"value": v})
print(results)
latest = Latest()
latest.input_slot.receive({"value": 1, "unit": "kg"})
latest.input_slot.receive({"value": 5})
print(avg.get_slot("input").name, avg.get_slot("missing"))
