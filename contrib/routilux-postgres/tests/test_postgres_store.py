"""The PostgreSQL store against a real server: the shared conformance suite and more."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest

from routilux import RoutiluxError, StoreError, open_store
from routilux.store_conformance import StoreConformance, sample_job


@pytest.fixture
def fresh_url(postgres_url):
    """A new empty database on the session's server."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


class TestPostgresStore(StoreConformance):
    @pytest.fixture
    def store(self, fresh_url):
        with open_store(fresh_url) as store:
            yield store


def test_a_corrupt_document_is_a_routilux_error(fresh_url):
    with open_store(fresh_url) as store:
        job = sample_job()
        store.save(job)
        with psycopg.connect(fresh_url, autocommit=True) as connection:
            connection.execute(
                "UPDATE routilux_jobs SET document = %s", (json.dumps({"status": 3}),)
            )
        with pytest.raises(RoutiluxError):
            store.load(job.job_id)


def test_an_unreachable_server_is_a_store_error_without_the_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://someone:secret@127.0.0.1:1/db")
    assert "secret" not in str(caught.value) and "127.0.0.1:1" in str(caught.value)
