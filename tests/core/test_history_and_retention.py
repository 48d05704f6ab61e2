"""Checkpoint history, fork and retention through the Python API (stores: conformance suite)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from routilux import (
    Flow,
    FlowSpecError,
    JobState,
    PauseAnswerError,
    Routine,
    StoreError,
    open_store,
)
from routilux.history import CheckpointInfo
from routilux.retention import RetentionPolicy, parse_age, prune, split_retention


class Count(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("trigger", handler=self.count)
        self.define_event("n", ["n"])

    def count(self, upto):
        for n in range(upto):
            self.emit("n", n=n)


class Total(Routine):
    def __init__(self):
        super().__init__()
        self.define_slot("input", handler=self.add, merge_strategy="append")

    def add(self, n):
        ctx = self.get_execution_context()
        ctx.job_state.update_shared_data("total", sum(n) * ctx.job_state.metadata.get("factor", 1))


def count_flow(url, keep=0, **kwargs):
    flow = Flow(flow_id="count", store=url, keep_checkpoints=keep, **kwargs)
    flow.add_routine(Count(), "count")
    flow.add_routine(Total(), "total")
    flow.connect("count", "n", "total", "input")
    return flow


def test_keep_checkpoints_is_checked_and_a_spec_key():
    with pytest.raises(Exception, match="keep_checkpoints must be a whole number >= 0"):
        Flow(keep_checkpoints=-1)
    spec = {"routines": {"c": {"type": "text.template", "config": {"template": "x"}}}}
    assert Flow.from_spec({**spec, "keep_checkpoints": 4}).keep_checkpoints == 4
    assert Flow.from_spec({**spec, "keep_checkpoints": 4}).to_spec()["keep_checkpoints"] == 4
    with pytest.raises(FlowSpecError, match="keep_checkpoints"):
        Flow.from_spec({**spec, "keep_checkpoints": "all"})


def test_history_and_fork_with_changed_input(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.db"
    flow = count_flow(url, keep=50, checkpoint="every_activation")
    job = flow.run("count", {"upto": 4})
    kept = flow.history(job)
    assert all(isinstance(c, CheckpointInfo) for c in kept) and len(kept) >= 6
    assert kept[0].status == "running" and kept[0].routine_id == "count"
    # replay from the first checkpoint with changed data: the fork runs with it
    child = flow.fork(job.job_id, at=kept[0].seq, metadata={"factor": 10})
    assert JobState.wait_for_completion(flow, child, timeout=30)
    assert child.status == "completed" and child.get_shared_data("total") == 60
    assert job.get_shared_data("total") == 6
    assert child.metadata["forked_from"] == {"job_id": job.job_id, "seq": kept[0].seq}
    later = flow.fork(job.job_id, at=kept[2].seq)
    assert JobState.wait_for_completion(flow, later, timeout=30)
    assert later.routine_counts == job.routine_counts  # what ran before the fork counts too
    with pytest.raises(Exception, match="is completed: nothing runs from it"):
        flow.fork(job, at=kept[-1].seq)
    flow.shutdown()


def test_a_store_without_history_is_named(tmp_path):
    class Plain:
        url = "plain://"

        def save(self, job_state):
            pass

    flow = count_flow(Plain(), keep=2)
    with pytest.raises(StoreError, match="'plain://' keeps no checkpoint history"):
        flow.run("count", {"upto": 1})


def test_retention_in_the_store_url(tmp_path):
    assert parse_age("7d") == timedelta(days=7) and parse_age("90m") == timedelta(minutes=90)
    clean, policy = split_retention("sqlite:///x.db?synchronous=FULL&retention=2w")
    assert clean == "sqlite:///x.db?synchronous=FULL"
    assert policy == RetentionPolicy(timedelta(weeks=2), ("completed", "failed", "cancelled"))
    with pytest.raises(StoreError, match="not an age"):
        split_retention("memory://?retention=forever")
    with pytest.raises(StoreError, match="never running"):
        split_retention("memory://?retention=1d&retention_status=running")

    url = f"sqlite:///{tmp_path}/jobs.db"
    with open_store(url + "?retention=30d") as store:
        assert store.url == url and store.retention.older_than == timedelta(days=30)
    # retention=0s: once a job ends, the finished jobs no one holds are pruned (the
    # job that just ended is still claimed while it is saved: a later prune takes it)
    first = count_flow(url + "?retention=0s&retention_status=completed")
    one = first.run("count", {"upto": 2})
    first.shutdown()
    second = count_flow(url + "?retention=0s&retention_status=completed")
    two = second.run("count", {"upto": 2})
    second.shutdown()
    assert one.status == two.status == "completed"
    with open_store(url) as store:
        assert [s.job_id for s in store.list()] == [two.job_id]


def test_prune_leaves_claimed_jobs_alone():
    from routilux.store_conformance import sample_job

    class ClaimingStore:
        """A memory store that reports one job as claimed (as a store with leases would)."""

        def __init__(self, inner, claimed):
            self.inner, self.claimed, self.url = inner, claimed, inner.url

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def is_claimed(self, job_id):
            return job_id == self.claimed

    with open_store("memory://") as inner:
        held, free = sample_job("claims"), sample_job("claims")
        inner.save(held)
        inner.save(free)
        store = ClaimingStore(inner, held.job_id)
        assert [s.job_id for s in prune(store)] == [free.job_id]
        assert [s.job_id for s in inner.list()] == [held.job_id]


def test_input_for_a_job_paused_by_an_older_human_input_is_checked():
    """A job paused before pause points existed: its deferred event says what it expects."""

    class OldAsk(Routine):
        def __init__(self):
            super().__init__()
            self.define_slot("trigger", handler=self.ask)
            self.define_event("answer", ["approved"])

        def ask(self):
            self.emit_deferred_event("answer", prompt="ok?", expects=["approved"])
            ctx = self.get_execution_context()
            ctx.flow.pause(ctx.job_state, reason="ok?")

    flow = Flow(flow_id="old-ask")
    flow.add_routine(OldAsk(), "ask")
    job = flow.run("ask")
    before = job.serialize()
    with pytest.raises(PauseAnswerError, match="expects exactly: approved"):
        flow.resume(job, input={"aproved": "yes"})
    assert job.serialize() == before
    flow.resume(job, input={"approved": "yes"})
    assert JobState.wait_for_completion(flow, job, timeout=30) and job.status == "completed"
    flow.shutdown()
