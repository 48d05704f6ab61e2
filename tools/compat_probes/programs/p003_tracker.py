from routilux import Flow, Routine
from routilux.job_state import JobState

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, n=2, **kw):
        for i in range(n):
            self.emit("out", x=i)

class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("done", ["y"])
    def h(self, x):
        self.emit("done", y=x * 10)

f = Flow(flow_id="f")
print("before", f.execution_tracker)
f.add_routine(Src(), "src"); f.add_routine(Sink(), "sink")
f.connect("src", "out", "sink", "input")
js = f.execute("src", entry_params={"n": 3})
JobState.wait_for_completion(f, js, timeout=10)
t = f.execution_tracker
print(type(t).__name__, t.flow_id)
print(sorted(t.routine_executions))
for rid, execs in sorted(t.routine_executions.items()):
    for e in execs:
        print(rid, {k: v for k, v in e.items() if k not in ("start_time", "end_time", "execution_time")})
print(len(t.event_flow))
for e in t.event_flow:
    print(e["event_name"], sorted(e), {k: v for k, v in e["data"].items() if k != "job_state"})
print(t.get_flow_performance()["total_routines"], t.get_flow_performance()["total_events"])
print(t.get_routine_performance("src"))
print(t.get_routine_performance("sink"))
js2 = f.execute("src", entry_params={"n": 1})
JobState.wait_for_completion(f, js2, timeout=10)
print(f.execution_tracker is t, len(f.execution_tracker.event_flow))
