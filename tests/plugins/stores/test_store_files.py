"""What the built-in stores leave on disk: private files, and corrupt documents that
are listed (as unreadable, with the reason), never hidden."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from routilux import StoreError, open_store
from routilux.store_conformance import sample_job


def test_the_sqlite_database_is_private_like_the_file_stores_documents(tmp_path):
    old = os.umask(0o022)
    try:
        with open_store(f"sqlite:///{tmp_path}/db/jobs.db") as store:
            store.save(sample_job())
        with open_store(f"file://{tmp_path}/files") as store:
            job = sample_job()
            store.save(job)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "db" / "jobs.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "files" / f"{job.job_id}.json").stat().st_mode) == 0o600


def test_corrupt_documents_are_listed_as_unreadable_with_the_reason(tmp_path):
    url = f"file://{tmp_path}/jobs"
    with open_store(url) as store:
        good = sample_job()
        store.save(good)
        (tmp_path / "jobs" / "torn.json").write_text('{"flow_id": "x", "job_')
        (tmp_path / "jobs" / "wrong.json").write_text(json.dumps({"status": 3}))
        listed = {s.job_id: s for s in store.list()}
        assert set(listed) == {good.job_id, "torn", "wrong"}
        assert listed["torn"].status == "unreadable" and "JSON" in listed["torn"].problem
        assert listed["wrong"].status == "unreadable" and listed["wrong"].problem
        assert listed[good.job_id].problem is None
        assert {s.job_id for s in store.list(status="unreadable")} == {"torn", "wrong"}
        assert {s.job_id for s in store.list(status="completed")} == {good.job_id}
    shown = subprocess.run(
        [sys.executable, "-m", "routilux", "jobs", "--store", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0]: line for line in shown.stdout.splitlines()[1:]}
    assert "unreadable" in lines["torn"] and "cannot be read" in lines["torn"]
    assert "unreadable" in lines["wrong"]


def test_sqlite_refuses_a_synchronous_mode_that_is_not_durable(tmp_path):
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{tmp_path}/jobs.db?synchronous=OFF")
    assert "synchronous" in str(caught.value) and "FULL" in str(caught.value)
    with open_store(f"sqlite:///{tmp_path}/jobs.db?synchronous=full") as store:
        assert store.synchronous == "FULL"
