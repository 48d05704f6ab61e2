"""The conformance suite every job store must pass (pytest).

Subclass `StoreConformance` in your store's tests and give it a ``store``
fixture (a fresh, empty store) and an ``open_same`` fixture (a function that
opens a second store on the same data, e.g. ``lambda: open_store(url)``)::

    class TestMyStore(StoreConformance):
        @pytest.fixture
        def store(self, tmp_path):
            with MyStore(f"mine://{tmp_path}") as store:
                yield store

The checks: save/load round trip equality (of ``serialize()``), list filters
and order, overwrite, delete, incremental checkpoints, a bounded history, 8 threads writing
different jobs, and 2 processes writing different jobs; ordered checkpoints (an
older snapshot never replaces a newer one, also with 8 threads saving one job);
claims (exclusive, refused saves by others, released, shown by `list`, taken by
exactly one of several processes, taken over once a killed owner's lease ends);
``list(limit=...)``; unknown URL parameters; one trial of the crash harness
(`routilux.crash_harness`: SIGKILLs at random points, resumed from another process);
checkpoint history (keep the last N, load one, fork from one) and prune.

The checks are grouped by topic, one module each (`basics`, `concurrency`,
`history`, `claims`); `StoreConformance` runs them all, and a store still
growing towards the contract may subclass only the groups it passes so far.
"""

from __future__ import annotations

from .base import StoreChecks
from .basics import SaveLoadChecks
from .claims import ClaimChecks
from .concurrency import ConcurrencyChecks
from .history import HistoryChecks
from .samples import history_flow, sample_job, with_params


class StoreConformance(SaveLoadChecks, ConcurrencyChecks, HistoryChecks, ClaimChecks):
    """Checks every JobStore must pass. Subclasses provide ``store`` (and may
    override ``open_same`` and ``shared_between_processes``; see `StoreChecks`)."""


__all__ = [
    "ClaimChecks",
    "ConcurrencyChecks",
    "HistoryChecks",
    "SaveLoadChecks",
    "StoreChecks",
    "StoreConformance",
    "history_flow",
    "sample_job",
    "with_params",
]
