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

class P(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, extracted_result=None, format=None, metadata=None, confidence=None, extraction_path=None, **kw):
        print("P", repr(extracted_result), format, confidence, extraction_path, sorted((metadata or {}).items()) if isinstance(metadata, dict) else metadata)
class S(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["data"])
    def go(self, items=(), **kw):
        for t in items:
            self.emit("out", data=t)
e = ResultExtractor()
f = Flow(flow_id="re")
f.add_routine(S(), "s"); f.add_routine(e, "e"); f.add_routine(P(), "p")
f.connect("s", "out", "e", "input"); f.connect("e", "output", "p", "input")
items = ['```json\n{"a": 1}\n```', '{"b": [1,2]}', "```python\nprint(1)\n```", {"k": "v"}, [1, 2, 3], "just text", 42]
js = f.execute("s", entry_params={"items": items}); wait(f, js)
print(js.status)
