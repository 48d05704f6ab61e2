from routilux import *
from routilux.job_state import JobState
import json, time

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.trigger_slot = self.define_slot("trigger", handler=self.go)
        self.output_event = self.define_event("out", ["x"])
    def go(self, items=None, **kw):
        for i in (items if items is not None else [1, 2]):
            self.emit("out", x=i)

class Printer(Routine):
    def __init__(self):
        super().__init__()
        self.input_slot = self.define_slot("input", handler=self.show)
    def show(self, **kw):
        print("got", sorted(kw.items()))

def wait(flow, js, t=10):
    return JobState.wait_for_completion(flow, js, timeout=t)

for cls in [TextClipper, TextRenderer, ResultExtractor, DataTransformer, DataValidator, DataFlattener, TimeProvider, ConditionalRouter]:
    r = cls()
    print(cls.__name__, sorted(r.config()))
    for k, v in sorted(r.config().items()):
        if isinstance(v, dict):
            print("  ", k, sorted(v))
v = DataValidator(); v.register_validator("is_even", lambda x: x % 2 == 0)
print(sorted(v.get_config("validators") or {}))
