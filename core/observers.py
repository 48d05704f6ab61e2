"""Calls the lifecycle observer hooks of the registered plugins.

The scheduler asks the registry for an `Observers` once per job; it gets None
when no plugin implements an observer hook, and then makes no call at all on
the activation path (a single ``is not None`` test per activation start and end).

Each observer implementation is called on its own: one that raises is logged
and the others (and the job) carry on. The set of observers is fixed for a job
when it starts (or resumes).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .hookspecs import OBSERVER_HOOKS

if TYPE_CHECKING:
    from collections.abc import Callable

    import pluggy

    from .flow import Flow
    from .job_state import JobState

log = logging.getLogger(__name__)

_Call = tuple[str, "Callable[..., Any]", tuple[str, ...]]


def _calls(pm: pluggy.PluginManager, hook_name: str) -> tuple[_Call, ...]:
    """(plugin name, function, argument names) of each implementation, in pluggy's order."""
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    return tuple(
        (impl.plugin_name, impl.function, tuple(impl.argnames))
        for impl in reversed(impls)
        if not (impl.hookwrapper or impl.wrapper)
    )


def _call(calls: tuple[_Call, ...], hook_name: str, kwargs: dict[str, Any]) -> None:
    for plugin_name, function, argnames in calls:
        try:
            function(*[kwargs[name] for name in argnames])
        except Exception:
            log.exception("observer %s raised in %s; ignored", plugin_name, hook_name)


class Observers:
    """The observer implementations of the plugins registered when it was made."""

    __slots__ = ("_job_finished", "_job_started", "_routine_finished", "_routine_started")

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._job_started = _calls(pm, "routilux_job_started")
        self._routine_started = _calls(pm, "routilux_routine_started")
        self._routine_finished = _calls(pm, "routilux_routine_finished")
        self._job_finished = _calls(pm, "routilux_job_finished")

    def job_started(self, job_state: JobState, flow: Flow) -> None:
        if self._job_started:
            _call(
                self._job_started,
                "routilux_job_started",
                {"job_state": job_state, "flow": flow},
            )

    def routine_started(
        self, job_state: JobState, routine_id: str, slot: str, activation_id: int, attempt: int
    ) -> None:
        if self._routine_started:
            _call(
                self._routine_started,
                "routilux_routine_started",
                {
                    "job_state": job_state,
                    "routine_id": routine_id,
                    "slot": slot,
                    "activation_id": activation_id,
                    "attempt": attempt,
                },
            )

    def routine_finished(
        self,
        job_state: JobState,
        routine_id: str,
        slot: str,
        error: BaseException | None,
        activation_id: int,
        attempt: int,
    ) -> None:
        if self._routine_finished:
            _call(
                self._routine_finished,
                "routilux_routine_finished",
                {
                    "job_state": job_state,
                    "routine_id": routine_id,
                    "slot": slot,
                    "error": error,
                    "activation_id": activation_id,
                    "attempt": attempt,
                },
            )

    def job_finished(self, job_state: JobState, flow: Flow) -> None:
        if self._job_finished:
            _call(
                self._job_finished,
                "routilux_job_finished",
                {"job_state": job_state, "flow": flow},
            )


def make_observers(pm: pluggy.PluginManager) -> Observers | None:
    """An `Observers` if any plugin implements an observer hook, else None."""
    if any(getattr(pm.hook, name).get_hookimpls() for name in OBSERVER_HOOKS):
        return Observers(pm)
    return None
