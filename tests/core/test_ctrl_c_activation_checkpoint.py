"""Ctrl-C during the save after an activation (``checkpoint="every_activation"``) in the
thread driving the job reaches the caller, and the job fails: no run is left in flight
with nothing to run it, no waiter waits for ever and the claim is released (as Ctrl-C in
a handler fails the job and Ctrl-C in the final save ends it: see
test_handler_base_exceptions)."""

from __future__ import annotations

import pytest

from routilux import Flow, JobState, Routine
from routilux.plugins.stores.sqlite import SQLiteJobStore


class Two(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=lambda **kw: self.emit("go"))
        self.define_slot("step", handler=lambda **kw: None)
        self.define_event("go")


def test_ctrl_c_during_a_per_activation_save_leaves_no_run_in_flight(tmp_path):
    saves = {"running": 0}

    class InterruptedActivationSave(SQLiteJobStore):
        def save(self, job_state: JobState) -> None:
            if job_state.status == "running":
                saves["running"] += 1
                if saves["running"] == 3:  # after begin_checkpoints and the trigger's
                    raise KeyboardInterrupt
            super().save(job_state)

    flow = Flow(flow_id="ctrl-c-activation-save", checkpoint="every_activation")
    flow.set_store(InterruptedActivationSave(f"sqlite:///{tmp_path / 'jobs.db'}"))
    flow.add_routine(Two(), "two")
    flow.connect("two", "go", "two", "step")
    job = JobState(flow_id="ctrl-c-activation-save")
    try:
        with pytest.raises(KeyboardInterrupt):
            flow.run("two", job_state=job, timeout=30)
        assert saves["running"] == 3
        # the job must not be left running with nothing to run it
        assert JobState.wait_for_completion(flow, job, timeout=5), (job.status, saves)
        assert flow.live_run(job.job_id) is None
        assert not flow.store.holds(job.job_id)
    finally:
        live = flow.live_run(job.job_id)
        if live is not None:
            flow.cancel(job)
        flow.shutdown(wait=True)
