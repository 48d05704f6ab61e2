"""JobStoreBase behaviour shared by every store: leases are renewed while held; URLs are checked."""

from __future__ import annotations

import time
import uuid

import pytest

from routilux import JobClaimedError, StoreError, open_store


def test_a_held_claim_is_renewed_past_its_lease_and_ends_when_released():
    url = f"memory://{uuid.uuid4()}?lease=1"
    with open_store(url) as owner, open_store(url) as other:
        owner.claim("job-1")
        time.sleep(3)  # three leases pass: only renewals keep the claim
        with pytest.raises(JobClaimedError) as caught:
            other.claim("job-1")
        assert caught.value.owner == owner.owner
        owner.release("job-1")
        other.claim("job-1")


def test_closing_a_store_releases_its_claims():
    url = f"memory://{uuid.uuid4()}"
    other = open_store(url)
    with open_store(url) as owner:
        owner.claim("job-2")
    other.claim("job-2")  # no wait for a lease: close released it
    other.close()


@pytest.mark.parametrize("url", ["jobs.db", "sqlite:/tmp/jobs.db", "://x"])
def test_a_store_url_without_scheme_slashes_is_refused_with_the_form_to_use(url):
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert repr(url) in message and "does not start with SCHEME://" in message
    assert "sqlite:///path/jobs.db" in message


DEEP = "[" * 100_000 + "]" * 100_000


def test_a_stored_job_nested_past_reading_is_corrupt_data_not_a_recursion_error(tmp_path):
    # before: `routilux show/resume/jobs` died with a raw RecursionError traceback
    import sqlite3

    from routilux import Flow, SerializationError

    flow = Flow.from_spec({"flow_id": "d", "routines": {"a": {"type": "text.clip"}}, "entry": "a"})
    url = f"sqlite:///{tmp_path}/jobs.db"
    flow.set_store(url)
    job = flow.run("a", {"text": "hi"})
    flow.shutdown()
    with sqlite3.connect(tmp_path / "jobs.db") as db:
        db.execute("UPDATE jobs SET document = ?", (DEEP,))
    db.close()
    with open_store(url) as store, pytest.raises(SerializationError, match="corrupt data"):
        store.load(job.job_id)
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "deep.json").write_text(DEEP)
    with open_store(f"file:///{tmp_path}/files") as store:
        with pytest.raises(SerializationError, match="deep.json is not valid JSON"):
            store.load("deep")
        [summary] = store.list()
        assert summary.job_id == "deep" and summary.status == "unreadable"
