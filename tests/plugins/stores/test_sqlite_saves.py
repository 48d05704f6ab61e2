"""SQLite's usual save (one UPDATE of the job's row, completed activations' pending rows
deleted in batches): loads see exactly the job's pending activations, and the claim and
sequence checks hold on that path too."""

from __future__ import annotations

import sqlite3

import pytest

from routilux import JobClaimedError, JobState, SlotActivation, StoreError, open_store
from routilux.plugins.stores.done_list import DEFERRED_DELETES


def journaled_job(pending):
    """A job as a flow checkpointing every activation keeps it, with `pending` activations."""
    job = JobState(flow_id="f")
    with job.lock:
        job.start_pending_journal(1)
        for n in range(pending):
            job.add_pending(SlotActivation("r", "s", {"n": n}))
    return job


def complete(job, count=1):
    with job.lock:
        for activation in job.pending_activations()[:count]:
            job.drop_pending(activation)
        job.touch()


def pending_seqs(job):
    return [t["seq"] for t in job.pending_tasks]


def test_completed_activations_never_come_back_when_the_job_loads(tmp_path):
    path = tmp_path / "jobs.db"
    job = journaled_job(3 * DEFERRED_DELETES)
    with open_store(f"sqlite:///{path}") as store, open_store(f"sqlite:///{path}") as reader:
        store.save(job)
        while job.pending_tasks:
            complete(job)
            store.save(job)
            assert pending_seqs(reader.load(job.job_id)) == pending_seqs(job)
            with sqlite3.connect(path) as db:
                ((rows,),) = db.execute("SELECT count(*) FROM pending")
            # the rows of completed activations are deleted in batches: O(pending) rows
            assert rows <= len(job.pending_tasks) + DEFERRED_DELETES + 1


def test_another_store_writing_the_job_between_two_saves_loses_nothing(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.db"
    job = journaled_job(10)
    with open_store(url) as first, open_store(url) as second:
        first.save(job)
        complete(job, 3)
        first.save(job)
        complete(job, 2)
        second.save(job)  # its first save of the job: a whole one
        complete(job, 2)
        first.save(job)  # the row is not as `first` left it: the long way
        assert pending_seqs(second.load(job.job_id)) == pending_seqs(job)


def test_the_usual_save_is_refused_while_another_owner_holds_the_claim(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.db"
    job = journaled_job(4)
    with open_store(url) as ours, open_store(url) as theirs:
        ours.save(job)
        complete(job)
        ours.save(job)  # ours now writes the job the usual way
        theirs.claim(job.job_id)
        complete(job)
        with pytest.raises(JobClaimedError, match=theirs.owner):
            ours.save(job)
        assert len(theirs.load(job.job_id).pending_tasks) == 3


def test_the_usual_save_never_replaces_a_newer_checkpoint(tmp_path):
    url = f"sqlite:///{tmp_path}/jobs.db"
    job = journaled_job(4)
    with open_store(url) as ours, open_store(url) as other:
        ours.save(job)
        complete(job)
        ours.save(job)
        newer = JobState.from_dict(job.serialize())
        with newer.lock:
            newer.next_checkpoint_seq()
            newer.next_checkpoint_seq()
        newer.update_metadata(newer=True)
        other.save(newer)  # a later checkpoint of the job, from elsewhere
        complete(job)
        ours.save(job)  # an older sequence than the stored one: dropped
        stored = ours.load(job.job_id)
    assert stored.metadata == {"newer": True}
    assert stored.checkpoint_seq == newer.checkpoint_seq


def test_a_database_written_before_deferred_deletes_opens_and_loads(tmp_path):
    path = tmp_path / "jobs.db"
    job = journaled_job(3)
    with open_store(f"sqlite:///{path}") as store:
        store.save(job)
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE jobs DROP COLUMN done")
    complete(job)
    with open_store(f"sqlite:///{path}") as store:
        assert len(store.load(job.job_id).pending_tasks) == 3
        store.save(job)
        assert pending_seqs(store.load(job.job_id)) == pending_seqs(job)


def test_closing_the_store_while_other_threads_save_is_safe(tmp_path):
    # `routilux serve` closes its store at shutdown while a job may still be saving
    # on a worker thread: closing that thread's connection under it crashed the process.
    import threading

    url = f"sqlite:///{tmp_path}/jobs.db"
    jobs = [journaled_job(50) for _ in range(4)]
    with open_store(url) as store:
        errors = []
        stop = threading.Event()

        def save_all(job):
            try:
                while job.pending_tasks and not stop.is_set():
                    complete(job)
                    store.save(job)
            except Exception as exc:  # a failed save would be a bug too
                errors.append(exc)

        threads = [threading.Thread(target=save_all, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for _ in range(200):
            store.close()  # connections reopen on next use
        for thread in threads:
            thread.join(60)
        stop.set()
        assert errors == []
        for job in jobs:
            assert pending_seqs(store.load(job.job_id)) == pending_seqs(job)


def test_activations_completing_out_of_order_never_come_back(tmp_path):
    # the done list holds ranges of seqs: completions out of order make several
    url = f"sqlite:///{tmp_path}/jobs.db"
    job = journaled_job(60)
    with open_store(url) as store, open_store(url) as reader:
        store.save(job)
        for step in range(40):
            with job.lock:
                activations = job.pending_activations()
                job.drop_pending(activations[(step * 7) % len(activations)])
                job.touch()
            store.save(job)
            assert pending_seqs(reader.load(job.job_id)) == pending_seqs(job)


def test_a_done_list_written_as_single_seqs_still_loads(tmp_path):
    # databases written before the done list held ranges list single seqs: "1,2,5"
    path = tmp_path / "jobs.db"
    job = journaled_job(6)
    with open_store(f"sqlite:///{path}") as store:
        store.save(job)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE jobs SET done = '0,1,4'")
    with open_store(f"sqlite:///{path}") as store:
        assert pending_seqs(store.load(job.job_id)) == [2, 3, 5]
        complete(job, 2)  # the first save of this store: the long way, which deletes them
        store.save(job)
        assert pending_seqs(store.load(job.job_id)) == pending_seqs(job)
    with sqlite3.connect(path) as db:
        ((rows,),) = db.execute("SELECT count(*) FROM pending")
    assert rows == len(job.pending_tasks)


def test_a_database_of_a_newer_layout_is_refused_naming_it(tmp_path):
    path = tmp_path / "jobs.db"
    with open_store(f"sqlite:///{path}") as store:
        store.save(journaled_job(1))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 2
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer routilux.*schema version is 99"):
        open_store(f"sqlite:///{path}").list()
