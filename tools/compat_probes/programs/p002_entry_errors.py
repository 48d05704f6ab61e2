from routilux import Flow, Routine, ErrorHandler
from routilux.job_state import JobState

class Bad(Routine):
    calls = 0
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.h)
    def h(self, **kw):
        Bad.calls += 1
        raise ValueError("bad entry")

for strat in [None, "stop", "continue", "skip", "retry"]:
    Bad.calls = 0
    f = Flow(flow_id="f")
    b = Bad()
    f.add_routine(b, "b")
    if strat:
        b.set_error_handler(ErrorHandler(strategy=strat, max_retries=2, retry_delay=0.0))
    js = f.execute("b")
    print(strat, js.status, Bad.calls)
    st = js.get_routine_state("b")
    print("  state", {k: (v if k != "error_time" else "T") for k, v in (st or {}).items()})
    for r in js.execution_history:
        print("  rec", r.routine_id, r.event_name, r.data)
    JobState.wait_for_completion(f, js, timeout=5)
    print("  after wait", js.status)
