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
import threading, time
class Source(Routine):
    def __init__(self, name):
        super().__init__()
        self.name = name
        self.trigger_slot = self.define_slot("trigger", handler=self.send)
        self.output_event = self.define_event("output", ["data"])

    def send(self, **kwargs):
        from routilux.routine import _current_job_state
        job_state = _current_job_state.get(None)
        if job_state:
            job_state.record_execution(self._id, "output", {"data": f"from {self.name}"})
        self.emit("output", data=f"from {self.name}")

class Processor(Routine):
    def __init__(self, name):
        super().__init__()
        self.name = name
        self.input_slot = self.define_slot("input", handler=self.process)

    def process(self, data=None, **kwargs):
        from routilux.routine import _current_job_state
        job_state = _current_job_state.get(None)
        if job_state:
            job_state.record_execution(self._id, "input", {"data": data})

flow = Flow(flow_id="isolation_test", execution_strategy="concurrent", max_workers=1)
s1, s2, p1, p2 = Source("Source1"), Source("Source2"), Processor("Processor1"), Processor("Processor2")
s1_id = flow.add_routine(s1, "s1"); s2_id = flow.add_routine(s2, "s2")
p1_id = flow.add_routine(p1, "p1"); p2_id = flow.add_routine(p2, "p2")
flow.connect(s1_id, "output", p1_id, "input")
flow.connect(s2_id, "output", p2_id, "input")
job_state1 = flow.execute(s1_id)
JobState.wait_for_completion(flow, job_state1, timeout=2.0)
job_state2 = flow.execute(s2_id)
JobState.wait_for_completion(flow, job_state2, timeout=2.0)
names = {s1._id: "S1", s2._id: "S2", p1._id: "P1", p2._id: "P2"}
js1_routines = {names.get(r.routine_id, r.routine_id) for r in job_state1.execution_history}
js2_routines = {names.get(r.routine_id, r.routine_id) for r in job_state2.execution_history}
print(f"JobState 1 routines: {sorted(js1_routines)}")
print(f"JobState 2 routines: {sorted(js2_routines)}")
print(len(job_state1.execution_history), len(job_state2.execution_history))
from routilux.routine import _current_job_state
print(_current_job_state.get(None))
