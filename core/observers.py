"""Calls the lifecycle observer hooks of the registered plugins.

The scheduler asks the registry for an `Observers` once per job; it gets None
when no plugin implements an observer hook, and then makes no call at all on
the activation path (a single ``is not None`` test per activation).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .hookspecs import OBSERVER_HOOKS

if TYPE_CHECKING:
    import pluggy

    from .flow import Flow
    from .job_state import JobState

log = logging.getLogger("routilux.observers")


class Observers:
    """The observer hook callers; an observer that raises is logged, not fatal."""

    def __init__(self, hook: Any) -> None:
        self._hook = hook

    def _call(self, name: str, **kwargs: Any) -> None:
        try:
            getattr(self._hook, name)(**kwargs)
        except Exception:
            log.exception("observer hook %s raised", name)

    def job_started(self, job_state: JobState, flow: Flow) -> None:
        self._call("routilux_job_started", job_state=job_state, flow=flow)

    def routine_started(self, job_state: JobState, routine_id: str, slot: str) -> None:
        self._call(
            "routilux_routine_started", job_state=job_state, routine_id=routine_id, slot=slot
        )

    def routine_finished(
        self, job_state: JobState, routine_id: str, slot: str, error: BaseException | None
    ) -> None:
        self._call(
            "routilux_routine_finished",
            job_state=job_state,
            routine_id=routine_id,
            slot=slot,
            error=error,
        )

    def job_finished(self, job_state: JobState, flow: Flow) -> None:
        self._call("routilux_job_finished", job_state=job_state, flow=flow)


def make_observers(pm: pluggy.PluginManager) -> Observers | None:
    """An `Observers` if any plugin implements an observer hook, else None."""
    if any(getattr(pm.hook, name).get_hookimpls() for name in OBSERVER_HOOKS):
        return Observers(pm.hook)
    return None
