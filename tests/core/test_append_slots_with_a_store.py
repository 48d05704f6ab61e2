"""An append slot of a job that a store checkpoints.

Without a store an append slot hands its handler the buffer's own lists, as routilux 0.10
does (tests/compat/test_append_merge.py). With one, what the store saves must not change
behind the job's lock: the handler gets copies, and a pending activation's saved data is
the delivery as it came (a retry gets the buffer as it is then), whichever kind of save
ran last.
"""

from __future__ import annotations

from routilux import ErrorHandler, Flow, Routine


class TwoValues(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)
        self.define_event("out", ["v"])

    def go(self) -> None:
        self.emit("out", v=1)
        self.emit("out", v=2)


def append_flow(tmp_path, join: Routine) -> Flow:
    flow = Flow(
        flow_id="append",
        store=f"sqlite:///{tmp_path}/jobs.db",
        checkpoint="every_activation",
        tolerate_downstream_errors=False,  # a downstream retry (0.10 never retried one)
    )
    flow.add_routine(TwoValues(), "src")
    flow.add_routine(join, "join")
    flow.connect("src", "out", "join", "inp")
    return flow


class Marks(Routine):
    """Writes into what it was given (a set: not JSON), as a 0.10 handler may."""

    def __init__(self) -> None:
        super().__init__()
        self.define_slot("inp", handler=self.take, merge_strategy="append")

    def take(self, v: list[object]) -> None:
        v.append({"seen"})


def test_what_a_handler_does_to_its_lists_stays_out_of_the_saved_job(tmp_path):
    flow = append_flow(tmp_path, Marks())
    job = flow.run("src", timeout=60)
    assert job.status == "completed"
    stored = flow.store.load(job.job_id)
    assert stored.status == "completed"
    assert stored.slot_buffers == {"join": {"inp": {"v": [1, 2]}}}
    flow.shutdown()


class FailsOnce(Routine):
    """Fails its first call (retried later); on every call compares the pending
    activations of the live job with those the store holds."""

    def __init__(self, flow_box: list[Flow]) -> None:
        super().__init__()
        self.flow_box = flow_box
        self.calls: list[list[object]] = []
        self.mismatches: list[tuple[object, object]] = []
        self.define_slot("inp", handler=self.take, merge_strategy="append")
        self.set_error_handler(ErrorHandler("retry", max_retries=2, retry_delay=0.2))

    def take(self, v: list[object]) -> None:
        self.calls.append(list(v))
        job = self.get_execution_context().job_state
        live = {t["seq"]: t["data"] for t in job.pending_tasks}
        saved = self.flow_box[0].store.load(job.job_id)
        stored = {t["seq"]: t["data"] for t in saved.pending_tasks}
        if live != stored:
            self.mismatches.append((live, stored))
        if len(self.calls) == 1:
            raise RuntimeError("first attempt fails")


def test_a_retried_activation_is_saved_as_delivered_and_sees_the_buffer_then(tmp_path):
    box: list[Flow] = []
    join = FailsOnce(box)
    flow = append_flow(tmp_path, join)
    box.append(flow)
    job = flow.run("src", timeout=60)
    assert job.status == "completed", job.routine_states
    assert join.mismatches == []
    # the first call saw [1]; the second delivery and the retry (in either order) see
    # both values: a retry is not merged again and gets the buffer as it is
    assert join.calls[0] == [1] and join.calls[1:] == [[1, 2], [1, 2]]
    assert flow.store.load(job.job_id).slot_buffers == {"join": {"inp": {"v": [1, 2]}}}
    flow.shutdown()
