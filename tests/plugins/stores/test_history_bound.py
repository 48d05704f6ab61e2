"""Stores keep what a job keeps: no more history rows than the job's ``history`` bound."""

from __future__ import annotations

import sqlite3

from store_routines import Double, Items

from routilux import Flow


def test_sqlite_holds_only_the_kept_history_rows(tmp_path):
    path = tmp_path / "jobs.db"
    flow = Flow(flow_id="b", store=f"sqlite:///{path}", checkpoint="every_activation", history=7)
    flow.add_routine(Items(), "items")
    flow.add_routine(Double(), "double")
    flow.connect("items", "item", "double", "input")
    job = flow.run("items", {"count": 50})
    flow.shutdown()
    assert job.status == "completed" and job.history_total > 50
    with sqlite3.connect(path) as db:
        ((rows, first),) = db.execute(
            "SELECT count(*), min(idx) FROM history WHERE job_id = ?", (job.job_id,)
        )
    assert rows == 7
    assert first == job.history_total - 7
