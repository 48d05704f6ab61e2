"""The SQLite store's statements: its transactions, and many rows in few statements.

`Transaction` is ``BEGIN [IMMEDIATE]`` ... ``COMMIT`` (``ROLLBACK`` on any exception).

A save that follows a busy activation (a source emitting 500 items) writes a row per
new history record and per new pending activation. One ``INSERT`` per row costs the
statement's round trip through Python's sqlite3 module on every row; a multi-row
``INSERT ... VALUES (...), (...)`` pays it once per statement. Statements hold a
power of two of rows (at most `MOST_ROWS`), so a database connection caches only a
few distinct statements whatever the counts of rows.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections.abc import Sequence
from typing import Any

#: Rows per statement at most: 3 parameters each stays under 999, the smallest limit
#: of SQLite builds (SQLITE_MAX_VARIABLE_NUMBER before 3.32).
MOST_ROWS = 256


@functools.lru_cache(maxsize=64)
def _insert(table: str, key: str, count: int) -> str:
    values = ", ".join(["(?, ?, ?)"] * count)
    return f"INSERT OR REPLACE INTO {table} (job_id, {key}, body) VALUES {values}"


def insert_rows(
    connection: sqlite3.Connection, table: str, key: str, rows: Sequence[tuple[Any, Any, Any]]
) -> None:
    """``INSERT OR REPLACE`` each ``(job_id, key, body)`` of `rows` into `table` (whose
    second key column is `key`), in the open transaction, in few statements."""
    done = 0
    while done < len(rows):
        count = min(MOST_ROWS, 1 << ((len(rows) - done).bit_length() - 1))
        chunk = rows[done : done + count]
        connection.execute(_insert(table, key, count), list(itertools.chain.from_iterable(chunk)))
        done += count


class Transaction:
    """``BEGIN [IMMEDIATE]`` ... ``COMMIT``, or ``ROLLBACK`` on any exception."""

    def __init__(self, connection: sqlite3.Connection, immediate: bool) -> None:
        self.connection = connection
        self.immediate = immediate

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE" if self.immediate else "BEGIN")
        return self.connection

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        self.connection.execute("ROLLBACK" if exc_type is not None else "COMMIT")
