"""`Event.emit` inside a handler delivers like `Routine.emit` but, as in routilux 0.10,
leaves no record in the job's history: only `Routine.emit` records the emission."""

from __future__ import annotations

from routilux import Flow, JobState, Routine


class TwoWays(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.out = self.define_event("out", ["x"])

    def go(self) -> None:
        self.out.emit(x=1)  # through the event object
        self.emit("out", x=2)  # through the routine


class Collect(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take, merge_strategy="append")

    def take(self, x: list[int]) -> None:
        ctx = self.get_execution_context()
        ctx.job_state.update_routine_state(ctx.routine_id, {"got": list(x)})


def test_event_emit_delivers_but_only_routine_emit_is_in_the_history():
    flow = Flow(flow_id="event-emit", execution_strategy="sequential")
    flow.add_routine(TwoWays(), "source")
    flow.add_routine(Collect(), "sink")
    flow.connect("source", "out", "sink", "input")
    job = flow.execute("source")
    assert JobState.wait_for_completion(flow, job, timeout=30)
    assert job.status == "completed"
    assert job.get_routine_state("sink")["got"] == [1, 2]  # both delivered
    records = [(r.event_name, r.data) for r in job.get_execution_history("source")]
    assert records == [("start", {}), ("out", {"x": 2})]
    flow.shutdown()
