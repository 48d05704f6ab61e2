"""``flow.pause`` and ``flow.cancel`` right after ``execute()`` work however quickly the job
ended, as in routilux 0.10 (and the JobState guide's "Pause, Resume, and Cancel"): a job
that already ended is paused (or cancelled) as it stands, and a paused one resumes."""

from __future__ import annotations

import threading

import pytest

from routilux import JobState, Routine

WAIT = 30.0


class Asks(Routine):
    """Its trigger registers a deferred event: what a resume emits."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.ask)
        self.define_event("answer", ["value"])

    def ask(self) -> None:
        self.emit_deferred_event("answer", value=7)


class Collect(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("input", handler=self.take)

    def take(self, value: int) -> None:
        self.send_output("got", value=value)


class Kicks(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda: self.emit("go", value=1))
        self.define_event("go", ["value"])


def build(make_flow):
    flow = make_flow(flow_id="ask")
    flow.add_routine(Asks(), "ask")
    flow.add_routine(Collect(), "collect")
    flow.connect("ask", "answer", "collect", "input")
    return flow


def test_a_job_that_already_ended_pauses_and_resumes(make_flow):
    flow = build(make_flow)
    job = flow.execute("ask")
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "completed"  # ended before the pause, whatever the timing
    flow.pause(job, reason="Manual pause for inspection", checkpoint={"step": 1})
    assert job.status == "paused"
    # recorded as 0.10 recorded it: the flow's record, then the job's
    flow_record, job_record = job.pause_points
    assert sorted(flow_record) == [
        "active_tasks_count",
        "checkpoint",
        "pending_tasks_count",
        "queue_size",
        "reason",
        "timestamp",
    ]
    assert sorted(job_record) == ["checkpoint", "current_routine_id", "reason", "timestamp"]
    assert (job_record["reason"], job_record["checkpoint"]) == (
        "Manual pause for inspection",
        {"step": 1},
    )
    flow.pause(job, reason="again", checkpoint={"step": 2})  # a paused job: recorded again
    assert job.status == "paused"
    assert [(p["reason"], p["checkpoint"]) for p in job.pause_points[2:]] == [
        ("again", {"step": 2}),
        ("again", {"step": 2}),
    ]

    resumed = flow.resume(job)
    assert JobState.wait_for_completion(flow, resumed, timeout=WAIT)
    assert resumed.status == "completed"
    assert [e["data"] for e in resumed.output_log] == [{"value": 7}]  # the deferred event ran


def test_a_job_that_already_ended_can_be_cancelled(make_flow):
    flow = build(make_flow)
    job = flow.execute("ask")
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    flow.cancel(job, reason="No longer needed")
    assert job.status == "cancelled"
    flow.cancel(job)  # cancelling a cancelled job does nothing
    assert job.status == "cancelled"
    # 0.10 kept the reason among the routine states
    assert job.get_routine_state("_cancellation") == {"reason": "No longer needed"}


def test_a_running_job_cancelled_keeps_the_reason_too(make_flow):
    gate, started = threading.Event(), threading.Event()

    class Waits(Routine):
        def __init__(self) -> None:
            super().__init__()
            self.define_slot("input", handler=self.wait)

        def wait(self, value: int) -> None:
            started.set()
            gate.wait(WAIT)

    flow = make_flow(flow_id="waits")
    flow.add_routine(Kicks(), "kick")
    flow.add_routine(Waits(), "w")
    flow.connect("kick", "go", "w", "input")
    job = flow.execute("kick")
    assert started.wait(WAIT)
    flow.cancel(job, reason="user abort")
    gate.set()
    assert job.status == "cancelled"
    assert job.get_routine_state("_cancellation") == {"reason": "user abort"}


def test_a_job_of_another_flow_is_refused_in_0_10s_words(make_flow):
    other = build(make_flow)
    job = other.execute("ask")
    assert JobState.wait_for_completion(other, job, timeout=WAIT)
    flow = make_flow(flow_id="elsewhere")
    with pytest.raises(ValueError) as caught:
        flow.cancel(job)
    assert str(caught.value) == "JobState flow_id 'ask' does not match Flow flow_id 'elsewhere'"


def test_cancelling_a_running_job_leaves_its_history_as_the_handlers_made_it(make_flow):
    # 0.10 kept the reason in routine_states["_cancellation"] and added no history
    # record: a program printing the history after a cancel sees only its emits
    release = threading.Event()
    flow = make_flow(flow_id="cancel-history")
    flow.add_routine(Kicks(), "kick")
    waits = Routine()
    waits.define_slot("input", handler=lambda value: release.wait(WAIT))
    flow.add_routine(waits, "waits")
    flow.connect("kick", "go", "waits", "input")
    job = flow.execute("kick")
    flow.cancel(job, reason="user pressed stop")
    release.set()
    assert JobState.wait_for_completion(flow, job, timeout=WAIT)
    assert job.status == "cancelled"
    history = [(r.routine_id, r.event_name) for r in job.get_execution_history()]
    assert history == [("kick", "start"), ("kick", "go")]
    assert job.routine_states["_cancellation"] == {"reason": "user pressed stop"}
