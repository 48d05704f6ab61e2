# mypy: disable-error-code="empty-body"
"""The plugin API: every hook a routilux plugin can implement.

A plugin is a module (or object) with functions decorated by
``@routilux.hookimpl`` and named like the specifications below. It is found
through the entry-point group ``routilux``; the entry point's *name* is the
namespace of what it registers (entry point ``acme`` registers ``acme.*``
routines, or the executor / strategy / URL scheme ``acme``), so that looking up
``acme.square`` imports only that plugin. Plugins that only observe jobs use
an entry point named ``observers`` or ``observers.<something>``; those are
loaded when the first job starts. In pyproject.toml::

    [project.entry-points.routilux]
    acme = "acme_routilux"                  # registers acme.* (and may observe)
    "observers.acme" = "acme_routilux.obs"  # a dotted name must be quoted

Registration hooks return a mapping of name to factory and take no
arguments; an entry whose name is not a non-empty str or whose factory is not
callable is logged and ignored. A name registered by two plugins is an error
naming both (`DuplicatePluginError`) when it is looked up.

Observer hooks are called for every job, in the thread where the event
happens, with the arguments they name (any subset of the specification's).
They must be quick; one that raises is logged and ignored, and the job and
the other observers go on. For one job the order is: ``job_started``, then
for each activation ``routine_started`` ... ``routine_finished`` (a retry is
a new pair), then ``job_finished``. Only a handler still running when the job
is cancelled finishes after ``job_finished``. The observers of a job are the
plugins registered when it starts (or resumes).

Registering a plugin checks it the way pluggy means it to be checked: a
function marked ``@routilux.hookimpl`` whose name is not a hook below (a typo
such as ``routilux_job_startd``) is an `InvalidPluginError` naming the plugin
(pluggy's ``check_pending``), unless marked ``optionalhook=True``; so is a hook
wrapper (``wrapper=True`` or ``hookwrapper=True``), which routilux does not
call. A plugin that needs a newer plugin API than `PLUGIN_API_VERSION` says so
with an attribute ``ROUTILUX_PLUGIN_API = <version>`` on the module or object it
registers; it is refused (and an entry-point plugin reported with its
distribution) instead of failing later in the middle of a job.
"""

# Specifications have docstrings, not bodies.
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Callable

    from .executor import Executor
    from .flow import Flow
    from .job_state import JobState
    from .output import OutputHandler
    from .routine import Routine
    from .store import JobStore

PROJECT = "routilux"

#: The version of the plugin API this routilux serves. It goes up when a hook is
#: added or gains an argument; a plugin relying on that sets
#: ``ROUTILUX_PLUGIN_API`` to the new version. 2: ``routilux_cli_commands``, and
#: ``activation_id`` and ``attempt`` for ``routilux_routine_started``/``_finished``.
PLUGIN_API_VERSION = 2
#: The oldest plugin API version still served (raised only when a hook changes
#: in a way that breaks plugins written for older versions).
OLDEST_PLUGIN_API_VERSION = 1
#: The attribute of a plugin (module or object) naming the API version it needs.
PLUGIN_API_ATTRIBUTE = "ROUTILUX_PLUGIN_API"

hookspec = pluggy.HookspecMarker(PROJECT)
#: The marker plugins put on their hook implementations.
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------- registration


@hookspec
def routilux_routines() -> dict[str, type[Routine] | Callable[..., Routine]]:
    """Routine factories by dotted name, e.g. ``{"text.clip": TextClip}``.

    The prefix before the first dot is the pack's namespace and must equal the
    plugin's entry-point name. A factory is a `Routine` subclass (built with
    ``cls.from_config(config)``) or a callable ``factory(**config) -> Routine``.
    The first line of its docstring is the summary ``routilux routines`` shows;
    a ``config_schema`` attribute (an attrs class) declares the config it accepts.
    """


@hookspec
def routilux_output_handlers() -> dict[str, Callable[..., OutputHandler]]:
    """Output handler factories by name, e.g. ``{"queue": QueueOutputHandler}``.

    ``routilux.registry.get_output_handler(name)(**options)`` builds one.
    """


@hookspec
def routilux_error_strategies() -> dict[str, Callable[[Any], Any]]:
    """Error strategy factories by name, e.g. ``{"retry": RetryPolicy}``.

    ``ErrorHandler(strategy=name, ...)`` calls ``factory(error_handler)`` once
    and asks the returned policy ``policy.decide(failure) -> ErrorDecision`` for
    each failed activation (see `routilux.error_handling`).
    """


@hookspec
def routilux_storage_backends() -> dict[str, Callable[[str], JobStore]]:
    """Job store factories by URL scheme, e.g. ``{"sqlite": SQLiteJobStore}``.

    ``routilux.open_store(url)`` calls ``factory(url)`` for the URL's scheme.
    """


@hookspec
def routilux_executors() -> dict[str, Callable[..., Executor]]:
    """Executor factories by name, e.g. ``{"threads": ThreadExecutor}``.

    ``Flow(execution_strategy=name, max_workers=n, executor_options={...})``
    calls ``factory(max_workers=n, **executor_options)``. The names
    ``sequential`` and ``concurrent`` are aliases of ``inline`` and ``threads``.

    A factory with ``runs_async_handlers = True`` awaits ``async def`` handlers
    (`ActivationWork.run_async`); flows with such handlers are refused on any
    other executor (`AsyncHandlerError`). An executor with a ``cancel(job_id)``
    method is told when `Flow.cancel` ends a job, to stop its running
    activations. See `routilux.executor`.
    """


# ------------------------------------------------------------------ observers


@hookspec
def routilux_job_started(job_state: JobState, flow: Flow) -> None:
    """A job started running (``flow.execute``) or resumed (``flow.resume``)."""


@hookspec
def routilux_routine_started(
    job_state: JobState, routine_id: str, slot: str, activation_id: int, attempt: int
) -> None:
    """A slot handler of `routine_id` is about to run.

    `activation_id` is unique within the job and pairs this call with its
    `routine_finished` (which may come in another thread, or after a remote
    worker ran the handler); `attempt` counts the earlier failed runs of the
    same activation (0 for a first run, 1 for the first retry, ...).
    """


@hookspec
def routilux_routine_finished(
    job_state: JobState,
    routine_id: str,
    slot: str,
    error: BaseException | None,
    activation_id: int,
    attempt: int,
) -> None:
    """A slot handler finished; `error` is what it raised, or None.

    `activation_id` and `attempt` are those its `routine_started` was given.

    Also called, without a `routine_started` before it, when a delivery could
    not be merged into the slot's buffer (`error` says why).
    """


@hookspec
def routilux_job_finished(job_state: JobState, flow: Flow) -> None:
    """A job stopped running: ``job_state.status`` says how (completed, failed,
    paused or cancelled). Called after the store (if any) holds the final state."""


# ------------------------------------------------------------------ commands


@hookspec
def routilux_cli_commands() -> dict[str, Callable[[Any], None]]:
    """Subcommands of the ``routilux`` command, by name: ``{"serve": register}``.

    ``register(subparsers)`` adds the command's parser to the argparse
    sub-parsers and sets ``func`` on it to ``func(args) -> int`` (the exit
    code), as the built-in commands do. Only the plugins behind entry points
    named ``cli`` or ``cli.<something>`` are imported to build the command
    line, so such a module must import cheaply: import heavy libraries inside
    ``func``. A name already taken by a built-in command is ignored (logged).
    """


REGISTRATION_HOOKS = {
    "routine": "routilux_routines",
    "output handler": "routilux_output_handlers",
    "error strategy": "routilux_error_strategies",
    "storage backend": "routilux_storage_backends",
    "executor": "routilux_executors",
    "command": "routilux_cli_commands",
}
OBSERVER_HOOKS = (
    "routilux_job_started",
    "routilux_routine_started",
    "routilux_routine_finished",
    "routilux_job_finished",
)
