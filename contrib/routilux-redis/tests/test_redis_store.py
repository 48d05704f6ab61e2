"""The Redis store against a real server: the shared conformance suite and more."""

from __future__ import annotations

import pytest
import redis

from routilux import RoutiluxError, StoreError, open_store
from routilux.store_conformance import StoreConformance, sample_job


class TestRedisStore(StoreConformance):
    @pytest.fixture
    def store(self, redis_url):
        with open_store(redis_url) as store:
            yield store


def test_a_corrupt_document_is_a_routilux_error(redis_url):
    with open_store(redis_url) as store:
        job = sample_job()
        store.save(job)
        redis.Redis.from_url(redis_url).hset(f"routilux:job:{job.job_id}", "document", "{not json")
        with pytest.raises(RoutiluxError):
            store.load(job.job_id)


def test_status_sets_follow_the_job(redis_url):
    with open_store(redis_url) as store:
        job = sample_job(pause=True)
        store.save(job)
        client = redis.Redis.from_url(redis_url, decode_responses=True)
        assert client.smembers("routilux:status:paused") == {job.job_id}
        job.status = "cancelled"
        store.save(job)
        assert client.smembers("routilux:status:paused") == set()
        assert client.smembers("routilux:status:cancelled") == {job.job_id}


def test_an_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="127.0.0.1:1"):
        open_store("redis://127.0.0.1:1/0")
