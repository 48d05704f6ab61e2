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
    cfg = {k: (v if not callable(v) else "<fn>") for k, v in r.config().items() if k not in ("transformation_map", "validators", "extractors")}
    print(cls.__name__, sorted(r._slots), sorted(r._events), [(n, e.output_params) for n, e in sorted(r._events.items())])
    print("  cfg", sorted(cfg.items(), key=lambda kv: kv[0]) if cls is not ConditionalRouter else sorted(cfg))
    print("  slots", [(n, s.merge_strategy) for n, s in sorted(r._slots.items())])
