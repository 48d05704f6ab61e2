from routilux import Flow, Routine, ErrorHandler
from routilux.job_state import JobState

class Src(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])
    def go(self, **kw):
        self.emit("out", x=1)

class Bad(Routine):
    calls = 0
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
        self.define_event("out", ["x"])
    def h(self, x=None, **kw):
        Bad.calls += 1
        raise RuntimeError("boom")

class Sink(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.h)
    def h(self, **kw):
        print("sink got", kw)

for where in ["none", "routine", "flow"]:
    for strat in ["stop", "continue", "skip", "retry"]:
        if where == "none" and strat != "stop":
            continue
        Bad.calls = 0
        f = Flow(flow_id="f")
        s = Src(); b = Bad()
        f.add_routine(s, "s"); f.add_routine(b, "b")
        f.connect("s", "out", "b", "input")
        if where == "routine":
            b.set_error_handler(ErrorHandler(strategy=strat, max_retries=2, retry_delay=0.01))
        elif where == "flow":
            f.set_error_handler(ErrorHandler(strategy=strat, max_retries=2, retry_delay=0.01))
        js = f.execute("s")
        done = JobState.wait_for_completion(f, js, timeout=10)
        print(where, strat, "done", done, "status", js.status, "calls", Bad.calls)
        print("  s:", js.get_routine_state("s"))
        b_state = js.get_routine_state("b")
        print("  b:", {k: v for k, v in (b_state or {}).items() if k in ("status", "error")} if b_state else b_state)
        for r in js.execution_history:
            print("  rec", r.routine_id, r.event_name, sorted(r.data))
        f.shutdown() if hasattr(f, "shutdown") else None
