"""SQLite's usual save (one UPDATE of the job's row, completed activations' pending rows
deleted in batches): loads see exactly the job's pending activations, and the claim and
sequence checks hold on that path too."""

from __future__ import annotations

import json
import sqlite3

import pytest

from routilux import JobClaimedError, JobState, SlotActivation, StoreError, open_store
from routilux.plugins.stores.done_list import DEFERRED_DELETES
from routilux.plugins.stores.sqlite_chunks import CHUNK


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


def stored_pending(path):
    """How many pending activations the database at `path` holds, done or not (a row
    each in ``pending``, runs of them in ``pending_chunks``)."""
    with sqlite3.connect(path) as db:
        ((rows,),) = db.execute("SELECT count(*) FROM pending")
        chunks = db.execute("SELECT body FROM pending_chunks").fetchall()
    return rows + sum(len(json.loads(body)) for (body,) in chunks)


def test_completed_activations_never_come_back_when_the_job_loads(tmp_path):
    path = tmp_path / "jobs.db"
    job = journaled_job(3 * DEFERRED_DELETES)
    with open_store(f"sqlite:///{path}") as store, open_store(f"sqlite:///{path}") as reader:
        store.save(job)
        while job.pending_tasks:
            complete(job)
            store.save(job)
            assert pending_seqs(reader.load(job.job_id)) == pending_seqs(job)
            # completed activations are deleted in batches: O(pending) are stored
            assert stored_pending(path) <= len(job.pending_tasks) + DEFERRED_DELETES + 1


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
    assert stored_pending(path) == len(job.pending_tasks)


def test_a_database_of_a_newer_layout_is_refused_naming_it(tmp_path):
    path = tmp_path / "jobs.db"
    with open_store(f"sqlite:///{path}") as store:
        store.save(journaled_job(1))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 2
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer routilux.*schema version is 99"):
        open_store(f"sqlite:///{path}").list()


def as_schema_2(path):
    """Rewrite the database at `path` as routilux wrote it before schema 3: a row per
    history record and per pending activation, no firsts in the job's row."""
    with sqlite3.connect(path) as db:
        for table in ("history", "shared_log", "output_log"):
            rows = db.execute(f"SELECT job_id, idx, body FROM {table}").fetchall()
            db.execute(f"DELETE FROM {table}")
            for job_id, idx, body in rows:
                for at, entry in enumerate(json.loads(body)):
                    db.execute(
                        f"INSERT INTO {table} VALUES (?, ?, ?)",
                        (job_id, idx + at, json.dumps(entry)),
                    )
        for job_id, body in db.execute("SELECT job_id, body FROM pending_chunks").fetchall():
            for task in json.loads(body):
                db.execute(
                    "INSERT INTO pending VALUES (?, ?, ?)", (job_id, task["seq"], json.dumps(task))
                )
        db.execute("DROP TABLE pending_chunks")
        for column in ("history_first", "shared_log_first", "output_log_first"):
            db.execute(f"ALTER TABLE jobs DROP COLUMN {column}")
        db.execute("PRAGMA user_version = 2")


def test_a_database_of_schema_2_loads_and_takes_new_saves(tmp_path):
    path = tmp_path / "jobs.db"
    job = journaled_job(300)
    for n in range(5):
        job.record_execution("r", "item", {"n": n})
    with open_store(f"sqlite:///{path}") as store:
        store.save(job)
        complete(job, 3)
        store.save(job)
    as_schema_2(path)
    with open_store(f"sqlite:///{path}") as store:
        loaded = store.load(job.job_id)
        assert pending_seqs(loaded) == pending_seqs(job)
        assert loaded.execution_history == job.execution_history
        for _ in range(DEFERRED_DELETES + 5):  # past a batch of deletes, in both tables
            complete(job)
            with job.lock:
                job.add_pending(SlotActivation("r", "s", {"n": "new"}))
            job.record_execution("r", "item", {"n": "new"})
            store.save(job)
        loaded = store.load(job.job_id)
        assert pending_seqs(loaded) == pending_seqs(job)
        assert loaded.execution_history == job.execution_history
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    assert stored_pending(path) <= len(job.pending_tasks) + DEFERRED_DELETES + 1


def test_a_bound_cutting_through_a_saved_run_of_records_loads_only_what_the_job_keeps(tmp_path):
    # a save writes its new records in runs (rows of many); the job's bound drops whole
    # rows, and the job's row says which record it keeps first
    path = tmp_path / "jobs.db"
    job = journaled_job(1)
    job.set_history_limit(10)
    with open_store(f"sqlite:///{path}") as store, open_store(f"sqlite:///{path}") as reader:
        store.save(job)
        for count in (50, 3, 0, 200, 1):
            for n in range(count):
                job.record_execution("r", "item", {"n": n})
            store.save(job)
            assert reader.load(job.job_id).execution_history == job.execution_history
        for limit in (4, 100):  # keeps fewer, then may keep more: no new record either time
            job.set_history_limit(limit)
            store.save(job)
            assert reader.load(job.job_id).execution_history == job.execution_history
    with sqlite3.connect(path) as db:
        bodies = db.execute("SELECT body FROM history").fetchall()
    assert sum(len(json.loads(body)) for (body,) in bodies) < 4 + CHUNK
