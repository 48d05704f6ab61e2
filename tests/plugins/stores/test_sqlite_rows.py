"""The SQLite store writes a save's new rows in multi-row statements: every row lands,
whatever the count, and a row written again replaces the one stored."""

from __future__ import annotations

import sqlite3

import pytest

from routilux.plugins.stores.sqlite_rows import MOST_ROWS, insert_rows


@pytest.fixture
def connection():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute(
        "CREATE TABLE pending (job_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,"
        " PRIMARY KEY (job_id, seq)) WITHOUT ROWID"
    )
    yield connection
    connection.close()


@pytest.mark.parametrize("count", [0, 1, 3, MOST_ROWS - 1, MOST_ROWS, MOST_ROWS + 1, 700])
def test_every_row_lands_once(connection, count):
    insert_rows(connection, "pending", "seq", [("j", n, f"body {n}") for n in range(count)])
    rows = connection.execute("SELECT job_id, seq, body FROM pending ORDER BY seq").fetchall()
    assert rows == [("j", n, f"body {n}") for n in range(count)]


def test_a_row_written_again_replaces_the_stored_one(connection):
    insert_rows(connection, "pending", "seq", [("j", n, "old") for n in range(5)])
    insert_rows(connection, "pending", "seq", [("j", 3, "new"), ("k", 3, "other job")])
    rows = connection.execute("SELECT job_id, seq, body FROM pending ORDER BY job_id, seq")
    assert rows.fetchall() == [
        *(("j", n, "new" if n == 3 else "old") for n in range(5)),
        ("k", 3, "other job"),
    ]
