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

import queue
f = Flow(flow_id="rm")
s = Src(); p = Printer()
f.add_routine(s, "s"); f.add_routine(p, "p"); f.connect("s", "out", "p", "input")
print({k: type(v).__name__ for k, v in f.routines.items()})
print(f.connections)
js = f.execute("s", entry_params={"items": [1]}); wait(f, js)
print(repr(f.execution_tracker))
print(repr(QueueOutputHandler(queue.Queue())).split(" object")[0], repr(NullOutputHandler()).split(" object")[0])
print(repr(CallbackOutputHandler(print)).split(" object")[0])
print(js.execution_history[0].__class__.__name__, type(js.created_at).__name__, type(js.updated_at).__name__)
print(ExecutionContext(flow=f, job_state=js, routine_id="s").routine_id)
print(repr(p.input_slot), p.input_slot.name, p.input_slot.routine is p, p.input_slot.merge_strategy, p.input_slot._data)
print(repr(s.output_event), s.output_event.name, s.output_event.output_params, s.output_event.connected_slots)
eh = ErrorHandler(strategy="retry")
print(str(eh).split(" object")[0])
