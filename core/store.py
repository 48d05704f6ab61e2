"""Job stores: where JobStates are checkpointed, chosen by URL.

`JobStore` is the protocol every backend implements; backends are plugins
registered by URL scheme through the ``routilux_storage_backends`` hook
(``memory://``, ``file://DIR``, ``sqlite:///PATH`` built in; PostgreSQL and
Redis in contrib). `open_store(url)` is the one entry point. Backends usually
subclass `routilux.store_base.JobStoreBase`, which adds ordered checkpoints and
job claims (one owner per job) on top of a few backend methods. Any store URL may
carry a retention policy (``?retention=30d``, see `routilux.retention`); stores
that keep checkpoint history implement the methods `routilux.history` lists.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from .errors import StoreError
from .retention import split_retention

if TYPE_CHECKING:
    from .job_state import JobState

DEFAULT_STORE_URL = "sqlite:///.routilux/jobs.db"


#: `JobSummary.status` of a stored job whose document cannot be read.
UNREADABLE = "unreadable"


@attrs.frozen
class JobSummary:
    """One line of `JobStore.list`.

    `owner` and `lease_until` name the process running the job, if one holds
    its claim. A stored document that cannot be read is listed with status
    ``"unreadable"`` and the reason in `problem` (never hidden).
    """

    job_id: str
    flow_id: str
    status: str
    created_at: datetime
    updated_at: datetime
    owner: str | None = None
    lease_until: datetime | None = None
    problem: str | None = None


@runtime_checkable
class JobStore(Protocol):
    """Saves and loads JobStates. Every `save` is atomic: a process killed at any
    instant leaves every stored job loadable (the old or the new version).

    Stores built on `routilux.store_base.JobStoreBase` (all the shipped ones) also
    order saves by the job's checkpoint sequence and have ``claim(job_id)`` /
    ``release(job_id)`` (one owner per job); a flow uses them when present.
    """

    url: str

    def save(self, job_state: JobState) -> None:
        """Store the job's current state (insert or replace)."""

    def load(self, job_id: str) -> JobState:
        """The stored job; `JobNotFoundError` if there is none."""

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        """Stored jobs, most recently updated first, optionally filtered; at most
        `limit` (None: all; a negative limit is a `StoreError`)."""

    def delete(self, job_id: str) -> None:
        """Remove a job; `JobNotFoundError` if there is none."""

    def close(self) -> None:
        """Release connections and files."""

    def __enter__(self) -> JobStore: ...

    def __exit__(self, *exc: Any) -> None: ...


def default_store_url() -> str:
    """``$ROUTILUX_STORE`` if set, else SQLite in ``./.routilux/jobs.db``."""
    return os.environ.get("ROUTILUX_STORE") or DEFAULT_STORE_URL


def open_store(url: str | None = None) -> JobStore:
    """Open the store at `url` (default: `default_store_url`) through its scheme's plugin."""
    from .registry import get_storage_backend

    url = url or default_store_url()
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme:
        raise StoreError(
            f"store URL {url!r} does not start with SCHEME:// (a path alone, or "
            "sqlite:/path, is not a URL); use e.g. sqlite:///path/jobs.db, "
            "file:///path/dir or memory://"
        )
    url, retention = split_retention(url)
    store = get_storage_backend(scheme.lower())(url)
    if retention is not None:
        try:
            store.retention = retention  # type: ignore[attr-defined]
        except AttributeError:
            raise StoreError(
                f"the {scheme} store cannot take a retention policy; run `routilux prune`"
            ) from None
    return store
