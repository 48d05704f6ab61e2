"""JobStoreBase behaviour shared by every store: leases are renewed while held; URLs are checked."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

import routilux
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


class RenewalInTheMiddle:
    """A memory store whose next lease renewal, once armed, waits for the test; it
    then renews nothing, as a renewal that ran after a release (a pause) and before
    the job was claimed again (a resume) does."""

    def __init__(self) -> None:
        from routilux.plugins.stores.memory import MemoryJobStore

        test = self
        self.armed = threading.Event()
        self.inside = threading.Event()
        self.go_on = threading.Event()

        class Store(MemoryJobStore):
            def _renew(self, job_ids, owner, now, until):
                if not test.armed.is_set():
                    return super()._renew(job_ids, owner, now, until)
                test.armed.clear()
                test.inside.set()
                test.go_on.wait(30)
                return []

        self.store_class = Store

    @routilux.hookimpl
    def routilux_storage_backends(self):
        return {"renewtest": self.store_class}


def test_a_renewal_racing_a_release_and_a_new_claim_keeps_the_new_claim(routilux_plugin):
    backend = RenewalInTheMiddle()
    routilux_plugin(backend)
    with open_store(f"renewtest://{uuid.uuid4()}?lease=0.3") as store:
        store.claim("job-3")
        backend.armed.set()
        assert backend.inside.wait(30)  # the renewal of the first claim is under way
        store.release("job-3")  # pause
        store.claim("job-3")  # resume: a new claim
        backend.go_on.set()
        time.sleep(1)  # that renewal ends, later ones (lease 0.3 s) run
        assert store.holds("job-3")  # the new claim was never taken for a lost one


def test_two_claims_of_one_job_at_once_in_one_process_give_it_once(routilux_plugin):
    from routilux.plugins.stores.memory import MemoryJobStore

    inside, go_on = threading.Event(), threading.Event()

    class SlowClaims(MemoryJobStore):
        def _claim(self, job_id, owner, now, until):
            inside.set()
            go_on.wait(30)
            return super()._claim(job_id, owner, now, until)

    class Backend:
        @routilux.hookimpl
        def routilux_storage_backends(self):
            return {"slowclaims": SlowClaims}

    routilux_plugin(Backend())
    with open_store(f"slowclaims://{uuid.uuid4()}") as store:
        first = threading.Thread(target=store.claim, args=("job-4",))
        first.start()
        assert inside.wait(30)  # the first claim is being taken
        with pytest.raises(JobClaimedError, match="already claimed by this process"):
            store.claim("job-4")
        go_on.set()
        first.join(30)
        assert store.holds("job-4")


def test_a_claim_taken_while_the_store_closes_is_still_renewed(routilux_plugin):
    """close() stops the renewals of its claims; a claim taken meanwhile (a flow
    executing while it shuts down) gets a renewer of its own."""
    from routilux.plugins.stores.memory import MemoryJobStore

    inside, go_on = threading.Event(), threading.Event()

    class SlowRenewals(MemoryJobStore):
        def _renew(self, job_ids, owner, now, until):
            inside.set()
            go_on.wait(30)
            return super()._renew(job_ids, owner, now, until)

    class Backend:
        @routilux.hookimpl
        def routilux_storage_backends(self):
            return {"slowrenewals": SlowRenewals}

    routilux_plugin(Backend())
    url = f"slowrenewals://{uuid.uuid4()}?lease=0.3"
    with open_store(url) as store, open_store(url) as other:
        store.claim("old")
        assert inside.wait(30)  # a renewal is under way
        closing = threading.Thread(target=store.close)
        closing.start()
        time.sleep(0.1)  # close() waits for that renewal
        store.claim("new")
        go_on.set()
        closing.join(30)
        time.sleep(1)  # three leases: only renewals keep the new claim
        with pytest.raises(JobClaimedError):
            other.claim("new")


def test_an_owner_whose_renewals_fail_never_saves_over_a_newer_owner(routilux_plugin):
    """Its lease runs out here while the backend cannot be reached for renewals; the
    next owner takes, saves and releases the job: the old owner's saves are refused."""
    from routilux import JobState
    from routilux.plugins.stores.memory import MemoryJobStore

    class Flaky(MemoryJobStore):
        failing = False

        def _renew(self, job_ids, owner, now, until):
            if self.failing:
                raise ConnectionError("the backend timed out")
            return super()._renew(job_ids, owner, now, until)

    class Backend:
        @routilux.hookimpl
        def routilux_storage_backends(self):
            return {"flaky": Flaky}

    routilux_plugin(Backend())
    url = f"flaky://{uuid.uuid4()}?lease=0.3"
    with open_store(url) as first, open_store(url) as second:
        job = JobState(flow_id="f")
        first.claim(job.job_id)
        job.update_metadata(owner="first")
        first.save(job)
        first.failing = True
        time.sleep(0.5)  # the first lease runs out, here and in the store
        second.claim(job.job_id)
        taken = second.load(job.job_id)
        taken.update_metadata(owner="second")
        second.save(taken)
        second.release(job.job_id)
        with pytest.raises(JobClaimedError, match="could not be renewed"):
            first.save(job)
        assert second.load(job.job_id).metadata["owner"] == "second"
