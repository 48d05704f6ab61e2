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
import threading
class ThreadAwareRoutine(Routine):
    def __init__(self, name):
        super().__init__()
        self.name = name
        self.trigger_slot = self.define_slot("trigger", handler=self.process)

    def process(self, **kwargs):
        thread_name = threading.current_thread().name
        print(f"[{self.name}] Executing in thread: {thread_name}")
        from routilux.routine import _current_job_state
        job_state = _current_job_state.get(None)
        if job_state:
            job_state.record_execution(self._id, "process", {"thread": thread_name})

flow = Flow(flow_id="thread_demo", execution_strategy="concurrent", max_workers=2)
routine = ThreadAwareRoutine("Processor")
routine_id = flow.add_routine(routine, "processor")
print(f"Execution thread: {threading.current_thread().name}")
job_state = flow.execute(routine_id)
JobState.wait_for_completion(flow, job_state, timeout=2.0)
print([(r.event_name, r.data) for r in job_state.execution_history if r.event_name == "process"])
print(job_state.status)
