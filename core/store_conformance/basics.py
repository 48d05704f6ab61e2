"""Saving, loading, listing and deleting jobs: what every store does first."""

from __future__ import annotations

import pytest

from ..errors import JobNotFoundError, StoreError
from ..flow import Flow
from ..records import JobStatus
from ..store import JobStore, open_store
from .base import StoreChecks
from .samples import Sink, Source, sample_job, with_params


class SaveLoadChecks(StoreChecks):
    """Round trip, overwrite, list (filters, order, limit), delete, checkpoints during
    a run, a bounded history, and URL parameters checked."""

    def test_round_trip_is_lossless(self, store: JobStore) -> None:
        for job in (sample_job(), sample_job(pause=True)):
            store.save(job)
            assert store.load(job.job_id).serialize() == job.serialize()

    def test_load_of_unknown_job_raises_job_not_found(self, store: JobStore) -> None:
        with pytest.raises(JobNotFoundError) as caught:
            store.load("no-such-job")
        assert "no-such-job" in str(caught.value)

    def test_overwrite_keeps_the_last_save(self, store: JobStore) -> None:
        job = sample_job()
        store.save(job)
        job.update_shared_data("later", [1, 2, 3])
        job.record_execution("source", "note", {"after": True})
        store.save(job)
        loaded = store.load(job.job_id)
        assert loaded.get_shared_data("later") == [1, 2, 3]
        assert loaded.serialize() == job.serialize()

    def test_list_filters_by_flow_and_status_newest_first(self, store: JobStore) -> None:
        done_a = sample_job("flow-a")
        paused_a = sample_job("flow-a", pause=True)
        done_b = sample_job("flow-b")
        for job in (done_a, paused_a, done_b):
            store.save(job)
        done_b.update_metadata(touched=True)  # now the most recently updated
        store.save(done_b)
        assert store.list()[0].job_id == done_b.job_id
        assert {s.job_id for s in store.list()} >= {done_a.job_id, paused_a.job_id, done_b.job_id}
        assert {s.job_id for s in store.list(flow_id="flow-a")} == {done_a.job_id, paused_a.job_id}
        assert [s.job_id for s in store.list(flow_id="flow-a", status=JobStatus.PAUSED.value)] == [
            paused_a.job_id
        ]
        assert len(store.list(limit=2)) == 2
        summary = store.list(flow_id="flow-b")[0]
        assert (summary.flow_id, summary.status) == ("flow-b", JobStatus.COMPLETED)

    def test_delete_removes_the_job(self, store: JobStore) -> None:
        job = sample_job()
        store.save(job)
        store.delete(job.job_id)
        assert job.job_id not in {s.job_id for s in store.list()}
        with pytest.raises(JobNotFoundError):
            store.load(job.job_id)
        with pytest.raises(JobNotFoundError):
            store.delete(job.job_id)

    def test_checkpoint_after_every_activation(self, store: JobStore) -> None:
        flow = Flow(flow_id="every-activation", store=store, checkpoint="every_activation")
        flow.add_routine(Source(), "source")
        flow.add_routine(Sink(), "sink")
        flow.connect("source", "item", "sink", "input")
        written_before = getattr(store, "stats", {}).get("history_rows_written", 0)
        job = flow.run("source", {"count": 60})
        flow.shutdown()
        assert job.status == JobStatus.COMPLETED
        assert store.load(job.job_id).serialize() == job.serialize()
        if getattr(store, "incremental", False):
            # 60 saves, yet each history record was written once: no save rewrote the history
            written = store.stats["history_rows_written"] - written_before  # type: ignore[attr-defined]
            assert written == len(job.execution_history)

    def test_a_bounded_history_is_stored_as_the_job_keeps_it(self, store: JobStore) -> None:
        flow = Flow(flow_id="bounded", store=store, checkpoint="every_activation", history=5)
        flow.add_routine(Source(), "source")
        flow.add_routine(Sink(), "sink")
        flow.connect("source", "item", "sink", "input")
        job = flow.run("source", {"count": 40})
        flow.shutdown()
        loaded = store.load(job.job_id)
        assert len(loaded.execution_history) == 5
        assert loaded.history_total == job.history_total > 40
        assert loaded.serialize() == job.serialize()

    def test_list_limit_is_the_same_on_every_store(self, store: JobStore) -> None:
        for flow_id in ("limit-a", "limit-b", "limit-c"):
            store.save(sample_job(flow_id))
        assert len(store.list(limit=2)) == 2
        assert store.list(limit=0) == []
        assert len(store.list(limit=None)) >= 3
        for bad in (-1, -5, 1.5, "2"):
            with pytest.raises(StoreError, match="limit"):
                store.list(limit=bad)  # type: ignore[arg-type]

    def test_unknown_url_parameters_are_an_error(self, store: JobStore) -> None:
        url = with_params(store.url, synchronus="OFF")
        with pytest.raises(StoreError) as caught:
            opened = open_store(url)
            opened.close()
        message = str(caught.value)
        assert "synchronus" in message and "lease" in message
        with pytest.raises(StoreError, match="lease"):
            open_store(with_params(store.url, lease="soon")).close()
