"""`JobStoreBase`: what every job store shares, so a backend implements only what differs.

The base class owns:

- **the URL**: ``scheme://location?params``. The ``lease=SECONDS`` parameter
  (how long a claim lasts unless renewed) is understood by every store; any
  other parameter must be one the backend accepts, else a `StoreError` names
  the URL and the accepted parameters.
- **the lifecycle**: ``with store:``, an idempotent `close` that also releases
  the claims this store holds (connections reopen on next use).
- **errors**: the backend's exceptions (`backend_errors`, and `OSError`) become
  `StoreError` naming the operation, the job and the URL (without password),
  in one place; malformed stored data becomes `SerializationError`.
- **ordered checkpoints**: every save carries the job's checkpoint sequence
  (`JobState.checkpoint_seq`, bumped when the snapshot is taken); a backend
  writes a save only if its sequence is higher than the stored one, in the
  same transaction, so an older snapshot never lands after a newer one.
- **one owner per job**: `claim` takes the job's claim atomically for this
  store's `owner` (``host:pid:tag``) for `lease` seconds; a background thread
  renews the leases of the claims held until they are released. A job claimed
  by another owner whose lease has not ended cannot be claimed (nor saved):
  `JobClaimedError` names the owner and when its lease ends. A lease that has
  ended (its owner died) can be taken over.

A backend implements `_load`, `_list`, `_delete`, `_claim`, `_renew`,
`_release`, and either `_save_document` (whole documents) or, with
``incremental = True``, `_save_delta` (what changed, see `routilux.checkpoint`),
plus `_open`/`_close` if it holds connections. Clocks: leases are compared with
the local ``time.time()``, so hosts sharing a store need synchronised clocks
(the lease should be much longer than their skew).
"""

from __future__ import annotations

import builtins
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, urlencode

import attrs

from .checkpoint import CheckpointTracker, JobDelta, checkpoint_document
from .claims import OVERDUE, HeldClaims
from .errors import JobClaimedError, JobNotFoundError, RoutiluxError, SerializationError, StoreError
from .store import JobSummary

if TYPE_CHECKING:
    from .job_state import JobState

log = logging.getLogger(__name__)

#: Seconds a claim lasts unless its owner renews it (``?lease=`` in a store URL).
DEFAULT_LEASE = 20.0

_owner_tag = uuid.uuid4().hex[:6]


def default_owner() -> str:
    """``host:pid:tag`` naming this process (the tag tells store instances apart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_owner_tag}{uuid.uuid4().hex[:4]}"


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def utc(ts: float) -> datetime:
    """A ``time.time()`` value as an aware UTC datetime."""
    return datetime.fromtimestamp(ts, timezone.utc)


@attrs.frozen
class Claim:
    """Who holds a job: `owner` until `expires_at` (``time.time()``) unless renewed."""

    job_id: str
    owner: str
    expires_at: float


class JobStoreBase:
    """Base class of job stores (see the module docstring)."""

    #: Whether the backend writes deltas (`_save_delta`) rather than documents.
    incremental: ClassVar[bool] = False
    #: URL query parameters the backend accepts (``lease`` is always accepted).
    url_params: ClassVar[tuple[str, ...]] = ()
    #: Backend exceptions turned into `StoreError`.
    backend_errors: ClassVar[tuple[type[BaseException], ...]] = ()

    def __init__(self, url: str) -> None:
        self.url = url
        self.safe_url = redacted(url)
        base, _, query = url.partition("?")
        self.location = base.partition("://")[2]
        params = dict(parse_qsl(query, keep_blank_values=True))
        lease = params.pop("lease", None)
        accepted = self.accepted_params()
        unknown = sorted(set(params) - set(accepted))
        if unknown:
            raise StoreError(
                f"store URL {self.safe_url!r} has unknown parameter(s) {unknown}; "
                f"accepted: {sorted({'lease', *accepted})}"
            )
        #: The backend's own URL parameters.
        self.params: dict[str, str] = params
        #: The URL without routilux's own parameters (for the backend's client).
        self.backend_url = base + (f"?{urlencode(params)}" if params else "")
        try:
            self.lease = DEFAULT_LEASE if lease is None else float(lease)
        except ValueError:
            self.lease = -1.0
        if not self.lease > 0 or self.lease == float("inf"):
            raise StoreError(
                f"store URL {self.safe_url!r}: lease must be a positive number of seconds, "
                f"not {lease!r}"
            )
        #: Who this store claims jobs as: ``host:pid:tag``.
        self.owner = default_owner()
        self._tracker = CheckpointTracker()
        #: What the saves wrote (see CheckpointTracker).
        self.stats = self._tracker.stats
        self._held_claims = HeldClaims(
            self.lease,
            lambda job_ids, now, until: self._renew(job_ids, self.owner, now, until),
            self.safe_url,
            self.owner,
        )
        with self._mapped("open the store"):
            self._open()

    @classmethod
    def accepted_params(cls) -> tuple[str, ...]:
        """The backend's URL parameters (besides ``lease``)."""
        return cls.url_params

    # ------------------------------------------------------------- lifecycle

    def __enter__(self) -> JobStoreBase:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Release this store's claims and connections (they reopen on next use)."""
        for job_id in self._held_claims.close():
            try:
                self._release(job_id, self.owner)
            except Exception:  # the lease ends by itself
                log.warning("could not release the claim of job %s in %s", job_id, self.safe_url)
        self._tracker.forget()
        with self._mapped("close the store"):
            self._close()

    @contextlib.contextmanager
    def _mapped(self, action: str) -> Iterator[None]:
        """Backend errors of `action` as `StoreError`; corrupt data as `SerializationError`."""
        try:
            yield
        except Exception as exc:
            error = self._mapped_error(action, exc)
            if error is exc:
                raise
            raise error from exc

    def _mapped_error(self, action: str, exc: Exception) -> Exception:
        """The error `_mapped` raises for `exc` (`exc` itself if it is not mapped)."""
        if isinstance(exc, RoutiluxError):
            return exc
        if isinstance(exc, (*self.backend_errors, OSError)):
            return StoreError(f"cannot {action} in {self.safe_url}: {exc}")
        # RecursionError: data nested past what json can read
        if isinstance(exc, (ValueError, TypeError, KeyError, RecursionError)):
            return SerializationError(f"{action} in {self.safe_url}: corrupt data: {exc}")
        return exc

    # ------------------------------------------------------------------ jobs

    def save(self, job_state: JobState) -> None:
        """Store the job's current state, unless the store already holds a newer
        checkpoint of it (then this older snapshot is dropped). `JobClaimedError` if
        another owner holds the job's claim.

        A job that held its own values (made by hand, or loaded) is a saved job from
        now on: it takes checked copies first (`JobState.require_json`), so that what
        a program changes in place cannot slip past the store's change tracking."""
        if not job_state.json_only:
            job_state.require_json(True)
        job_id = job_state.job_id
        refused = self._held_claims.refusal(job_id)
        if refused is not None:  # (checked first: a save per activation comes here)
            if refused == OVERDUE:  # the lease ran out here before a renewal: renew first
                held = self._held_claims.confirm(job_id)
                refused = None if held else self._held_claims.refusal(job_id)
            if refused == OVERDUE:
                refused = "its lease ran out here and could not be renewed"
            if refused is not None:  # another owner's saves must stand
                raise JobClaimedError(
                    f"job {job_id} is no longer this process's to save in {self.safe_url}: "
                    f"{refused} (routilux jobs shows who holds it)"
                )
        now = time.time()
        try:  # not `with self._mapped(...)`: a checkpoint per activation comes here
            if self.incremental:
                delta, mark = self._tracker.delta(job_state)
                if self._save_delta(delta, now):
                    self._tracker.saved(delta, mark)
                else:
                    log.debug("dropped checkpoint %d of job %s: stale", delta.seq, job_id)
            else:
                seq, document = checkpoint_document(job_state)
                if not self._save_document(job_id, seq, document, now):
                    log.debug("dropped checkpoint %d of job %s: stale", seq, job_id)
        except Exception as exc:
            error = self._mapped_error(f"save job {job_id}", exc)
            if error is exc:
                raise
            raise error from exc

    def load(self, job_id: str) -> JobState:
        """The stored job; `JobNotFoundError` if there is none."""
        with self._mapped(f"load job {job_id}"):
            return self._load(job_id)

    def list(
        self, flow_id: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[JobSummary]:
        """Stored jobs, most recently updated first, optionally filtered; at most
        `limit` (None: all; 0: none; a negative or non-int limit is a `StoreError`)."""
        if limit is not None and (type(limit) is not int or limit < 0):
            raise StoreError(
                f"list(limit={limit!r}) on {self.safe_url}: limit must be None (all jobs) "
                "or an int >= 0"
            )
        if limit == 0:
            return []
        with self._mapped("list jobs"):
            return self._list(flow_id, status, limit)

    @staticmethod
    def summary_of(job: JobState, claim: tuple[str, float] | None) -> JobSummary:
        """The `list` line of a loaded job, with its claim ``(owner, expires_at)`` if held
        (for stores that list by loading each job)."""
        return JobSummary(
            job.job_id,
            job.flow_id,
            job.status,
            job.created_at.astimezone(timezone.utc),  # summaries hold UTC, as stores keep it
            job.updated_at.astimezone(timezone.utc),
            owner=None if claim is None else claim[0],
            lease_until=None if claim is None else utc(claim[1]),
        )

    @staticmethod
    def newest_first(
        summaries: builtins.list[JobSummary], limit: int | None
    ) -> builtins.list[JobSummary]:
        """`summaries` most recently updated first, at most `limit` (None: all)."""
        summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return summaries if limit is None else summaries[:limit]

    def delete(self, job_id: str) -> None:
        """Remove a job and its claim; `JobNotFoundError` if there is none."""
        self._tracker.forget(job_id)
        with self._mapped(f"delete job {job_id}"):
            found = self._delete(job_id)
        if not found:
            raise JobNotFoundError(f"no job {job_id!r} in {self.safe_url}")

    def not_found(self, job_id: str) -> JobNotFoundError:
        """The error for a job this store does not hold (for backends)."""
        return JobNotFoundError(f"no job {job_id!r} in {self.safe_url}")

    # ---------------------------------------------------------------- claims

    def claim(self, job_id: str) -> Claim:
        """Take the job for this store's owner for `lease` seconds, renewed in the
        background until `release`. `JobClaimedError` names the holder if another
        owner's lease has not ended (or this store already holds the job)."""
        if not self._held_claims.begin(job_id):
            raise JobClaimedError(
                f"job {job_id} is already claimed by this process ({self.owner}) in "
                f"{self.safe_url}; it is running here",
                self.owner,
            )
        deadline = None  # here, on the monotonic clock: from before the claim was asked
        try:
            started, now = time.monotonic(), time.time()
            with self._mapped(f"claim job {job_id}"):
                owner, expires = self._claim(job_id, self.owner, now, now + self.lease)
            if owner == self.owner:
                deadline = started + self.lease
        finally:
            self._held_claims.end(job_id, deadline)
        if owner != self.owner:
            raise self.claimed_error(job_id, owner, expires, now)
        return Claim(job_id, owner, expires)

    def release(self, job_id: str) -> None:
        """Give the job's claim up (no-op if this store does not hold it)."""
        if not self._held_claims.release(job_id):
            return
        with self._mapped(f"release job {job_id}"):
            self._release(job_id, self.owner)

    def when_lost(self, job_id: str, callback: Callable[[str], object]) -> bool:
        """Call ``callback(job_id)``, on a thread of its own, if the claim this store holds
        on the job is lost (another owner took it after its lease ran out here), at once
        if it already was; never after `release`, nor for a later claim of the job.
        False if this store neither holds nor lost a claim of the job."""
        return self._held_claims.when_lost(job_id, callback)

    def holds(self, job_id: str) -> bool:
        """Whether this store holds the job's claim (it has not been lost)."""
        return self._held_claims.holds(job_id)

    def taken(self, job_id: str) -> bool:
        """Whether another owner took the claim this store held on the job (its lease
        ran out here before a renewal); a new `claim` of the job clears it."""
        return self._held_claims.taken(job_id)

    def claimed_error(
        self, job_id: str, owner: str, expires: float, now: float | None = None
    ) -> JobClaimedError:
        """The error for a job held by `owner` until `expires` (for backends)."""
        now = time.time() if now is None else now
        until = utc(expires)
        return JobClaimedError(
            f"job {job_id} is claimed by {owner} (it is running there) until "
            f"{until.strftime('%Y-%m-%d %H:%M:%S')} UTC, {max(expires - now, 0):.1f} s from now, "
            f"unless renewed; if that process died, try again after its lease ends "
            f"(store {self.safe_url})",
            owner,
            until,
        )

    def may_write(self, holder: str | None, expires: float | None, now: float) -> bool:
        """Whether this store may write a job whose claim is `holder` until `expires`."""
        return holder is None or holder == self.owner or expires is None or expires <= now

    # ------------------------------------------------------------- backends

    def _open(self) -> None:
        """Connect / create the schema (errors are mapped to `StoreError`)."""

    def _close(self) -> None:
        """Release connections (they may reopen on next use)."""

    def _save_document(self, job_id: str, seq: int, document: dict[str, Any], now: float) -> bool:
        """Write `document` unless the stored sequence is >= `seq` (return False).
        Raise `claimed_error` if `may_write` says no. One atomic step."""
        raise NotImplementedError

    def _save_delta(self, delta: JobDelta, now: float) -> bool:
        """Apply `delta` unless the stored sequence is >= `delta.seq` (return False).
        Raise `claimed_error` if `may_write` says no. One atomic step."""
        raise NotImplementedError

    def _load(self, job_id: str) -> JobState:
        raise NotImplementedError

    def _list(
        self, flow_id: str | None, status: str | None, limit: int | None
    ) -> builtins.list[JobSummary]:
        raise NotImplementedError

    def _delete(self, job_id: str) -> bool:
        """Delete the job and its claim; False if there was no job."""
        raise NotImplementedError

    def _claim(self, job_id: str, owner: str, now: float, until: float) -> tuple[str, float]:
        """Atomically: if the job has no claim, or `owner` holds it, or it expired at
        `now`, make it `owner`'s until `until`. Return the holder afterwards."""
        raise NotImplementedError

    def _renew(self, job_ids: Iterable[str], owner: str, now: float, until: float) -> Iterable[str]:
        """Extend `owner`'s claims of `job_ids` to `until`; return those still held."""
        raise NotImplementedError

    def _release(self, job_id: str, owner: str) -> None:
        """Remove the claim if `owner` holds it."""
        raise NotImplementedError
