"""Retention: delete old finished jobs so a store stays small (``routilux prune``).

`prune(store, older_than=..., statuses=..., flow_id=..., dry_run=...)` deletes
the jobs (and their kept checkpoints) whose status is one of `statuses`
(default: completed, failed, cancelled) and that were last updated longer ago
than `older_than`. It never touches a job that is running or pending, nor one
that is claimed (a summary whose ``lease_until`` is still ahead, or a store whose
``is_claimed(job_id)`` says so); right before
deleting it checks again that the job has not changed since it was listed (a
store may offer ``delete_if(job_id, statuses, updated_before)`` to do that
atomically).

A store-level retention policy: add ``retention=7d`` (and optionally
``retention_status=completed,failed``) to any store URL's query, e.g.
``sqlite:///jobs.db?retention=30d``. `open_store` strips them from the URL the
backend sees and sets ``store.retention``; a flow with that store then prunes
it after jobs end (at most once a minute; a job that just ended is still
claimed then, so a later prune takes it), and ``routilux prune`` without
``--older-than`` applies it.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import attrs

from .errors import JobNotFoundError, StoreError

if TYPE_CHECKING:
    from .store import JobStore, JobSummary

PRUNABLE_STATUSES = ("completed", "failed", "cancelled", "paused")
DEFAULT_STATUSES = ("completed", "failed", "cancelled")
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
#: Pause between automatic prunes of one store object (seconds).
AUTO_PRUNE_INTERVAL = 60.0


@attrs.frozen
class RetentionPolicy:
    """Keep jobs in `statuses` for `older_than`; older ones are pruned."""

    older_than: timedelta
    statuses: tuple[str, ...] = DEFAULT_STATUSES


def parse_age(text: str, option: str = "--older-than") -> timedelta:
    """``"7d"``, ``"12h"``, ``"30m"``, ``"45s"``, ``"2w"`` as a timedelta."""
    match = _AGE.match(str(text))
    if not match:
        raise StoreError(
            f"{option} {text!r} is not an age; use a number and a unit: 45s, 30m, 12h, 7d, 2w"
        )
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def parse_statuses(statuses: str | Iterable[str], option: str = "--status") -> tuple[str, ...]:
    """``"completed,failed"`` (or a list) checked against the statuses prune may touch."""
    items = statuses.split(",") if isinstance(statuses, str) else list(statuses)
    names = tuple(s.strip() for s in items if s.strip())
    bad = [s for s in names if s not in PRUNABLE_STATUSES]
    if bad or not names:
        raise StoreError(
            f"{option} {','.join(bad) or '(empty)'}: prune deletes only jobs that are "
            f"{', '.join(PRUNABLE_STATUSES)} (never running or pending ones)"
        )
    return names


def _aware(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one is local time (as a JobState shows times)."""
    return moment.astimezone(timezone.utc)


def prune(
    store: JobStore,
    *,
    older_than: timedelta | None = None,
    statuses: str | Iterable[str] = DEFAULT_STATUSES,
    flow_id: str | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[JobSummary]:
    """Delete the matching jobs (none with `dry_run`); returns what was (or would be) deleted."""
    names = parse_statuses(statuses, "statuses")
    moment = _aware(now or datetime.now(timezone.utc))
    cutoff = None if older_than is None else moment - older_than
    is_claimed = getattr(store, "is_claimed", None)
    chosen: list[JobSummary] = []
    for status in names:
        for summary in store.list(flow_id=flow_id, status=status):
            if cutoff is not None and _aware(summary.updated_at) >= cutoff:
                continue
            if _claimed(summary, is_claimed):
                continue
            chosen.append(summary)
    if dry_run:
        return chosen
    deleted = []
    for summary in chosen:
        if _delete_unchanged(store, summary, names):
            deleted.append(summary)
    return deleted


def _claimed(summary: JobSummary, is_claimed: Any) -> bool:
    """Whether someone holds the job: a live lease in its summary, or the store says so."""
    lease_until = getattr(summary, "lease_until", None)
    if isinstance(lease_until, datetime) and _aware(lease_until) > datetime.now(timezone.utc):
        return True
    return bool(callable(is_claimed) and is_claimed(summary.job_id))


def _delete_unchanged(store: JobStore, summary: JobSummary, statuses: tuple[str, ...]) -> bool:
    """Delete the job if it is still as listed; False if it changed or went away."""
    delete_if = getattr(store, "delete_if", None)
    if callable(delete_if):
        return bool(delete_if(summary.job_id, statuses, summary.updated_at))
    try:
        current = store.load(summary.job_id)
    except JobNotFoundError:
        return False
    if current.status not in statuses or _aware(current.updated_at) != _aware(summary.updated_at):
        return False  # resumed or saved since it was listed: leave it
    try:
        store.delete(summary.job_id)
    except JobNotFoundError:
        return False
    return True


# ------------------------------------------------------------ store-level policy

_RETENTION_KEYS = ("retention", "retention_status")


def split_retention(url: str) -> tuple[str, RetentionPolicy | None]:
    """`url` without its retention query keys, and the policy they give (or None)."""
    base, sep, query = url.partition("?")
    if not sep:
        return url, None
    pairs = parse_qsl(query, keep_blank_values=True)
    given = {k: v for k, v in pairs if k in _RETENTION_KEYS}
    if not given:
        return url, None
    rest = [(k, v) for k, v in pairs if k not in _RETENTION_KEYS]
    clean = base + ("?" + urlencode(rest) if rest else "")
    if "retention" not in given:
        raise StoreError(f"store URL {url!r}: retention_status needs retention=AGE (e.g. 30d)")
    policy = RetentionPolicy(
        parse_age(given["retention"], "retention"),
        parse_statuses(given.get("retention_status") or DEFAULT_STATUSES, "retention_status"),
    )
    return clean, policy


#: When each store object was last pruned automatically (time.monotonic()).
_last_auto: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
_auto_lock = threading.Lock()


def apply_retention(store: Any) -> None:
    """Prune `store` by its ``retention`` policy, at most once per AUTO_PRUNE_INTERVAL.

    Called after a job's final checkpoint; that job is still claimed then, so it
    is pruned by a later call (or by ``routilux prune``), never by its own end.
    """
    policy = getattr(store, "retention", None)
    if not isinstance(policy, RetentionPolicy):
        return
    now = time.monotonic()
    with _auto_lock:
        last = _last_auto.get(store)
        if last is not None and now - last < AUTO_PRUNE_INTERVAL:
            return
        _last_auto[store] = now
    prune(store, older_than=policy.older_than, statuses=policy.statuses)
