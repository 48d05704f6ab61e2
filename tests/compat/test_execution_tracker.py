"""``flow.execution_tracker`` describes the latest ``execute()`` as routilux 0.10's did:
the entry routine's execution and every emitted event, with performance figures."""

from __future__ import annotations

from routilux import ExecutionTracker, JobState, Routine

WAIT = 30.0


class Source(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["x"])

    def go(self, n: int = 2, fail: bool = False) -> None:
        for i in range(n):
            self.emit("out", x=i)
        if fail:
            raise RuntimeError("source gave up")


class Double(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.double)
        self.define_event("doubled", ["y"])

    def double(self, x: int) -> None:
        self.emit("doubled", y=2 * x)


def build(make_flow):
    flow = make_flow(flow_id="tracked")
    source, double = Source(), Double()
    flow.add_routine(source, "source")
    flow.add_routine(double, "double")
    flow.connect("source", "out", "double", "input")
    return flow, source, double


def test_no_tracker_before_the_first_execute(make_flow):
    flow, _, _ = build(make_flow)
    assert flow.execution_tracker is None


def test_the_tracker_holds_the_entry_run_and_every_event(make_flow):
    flow, source, double = build(make_flow)
    job = flow.execute("source", entry_params={"n": 3})
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    tracker = flow.execution_tracker
    assert isinstance(tracker, ExecutionTracker) and tracker.flow_id == "tracked"
    assert tracker is flow.execution_tracker  # the same object once the job has ended
    (entry,) = tracker.routine_executions["source"]
    # as in 0.10, a trigger that returned normally leaves its execution open
    assert (entry["params"], entry["status"]) == ({"n": 3}, "running")
    assert list(tracker.routine_executions) == ["source"]
    events = [(e["event_name"], e["data"]) for e in tracker.event_flow]
    assert sorted(events, key=str) == sorted(
        [("out", {"x": i}) for i in range(3)] + [("doubled", {"y": 2 * i}) for i in range(3)],
        key=str,
    )
    out = next(e for e in tracker.event_flow if e["event_name"] == "out")
    assert (out["source_routine_id"], out["target_routine_id"]) == (source._id, double._id)
    doubled = next(e for e in tracker.event_flow if e["event_name"] == "doubled")
    assert doubled["target_routine_id"] is None  # not connected
    performance = tracker.get_flow_performance()
    assert (performance["total_routines"], performance["total_events"]) == (1, 6)


def test_a_failed_trigger_closes_the_entry_execution(make_flow):
    flow, _, _ = build(make_flow)
    job = flow.execute("source", entry_params={"n": 1, "fail": True})
    assert job.status == "failed"
    (entry,) = flow.execution_tracker.routine_executions["source"]
    assert (entry["status"], entry["error"]) == ("failed", "source gave up")
    assert entry["execution_time"] >= 0
    assert flow.execution_tracker.get_routine_performance("source")["failed"] == 1


def test_each_execute_starts_a_new_tracker_and_a_set_one_is_kept_until_then(make_flow):
    flow, _, _ = build(make_flow)
    first = flow.execute("source", entry_params={"n": 2})
    assert JobState.wait_for_completion(flow, first, timeout=WAIT)
    tracker = flow.execution_tracker
    mine = ExecutionTracker("mine")
    flow.execution_tracker = mine
    assert flow.execution_tracker is mine
    second = flow.execute("source", entry_params={"n": 1})
    assert JobState.wait_for_completion(flow, second, timeout=WAIT)
    assert flow.execution_tracker is not tracker and flow.execution_tracker is not mine
    assert len(flow.execution_tracker.event_flow) == 2
    assert len(tracker.event_flow) == 4  # the first job's tracker is unchanged
