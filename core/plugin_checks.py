"""The checks a plugin passes when it is registered (see `routilux.hookspecs`).

A hook implementation must name a declared hook (pluggy's ``check_pending``),
must not be a hook wrapper, and the plugin API version a plugin asks for
(``ROUTILUX_PLUGIN_API``) must be one this routilux serves. A plugin failing a
check is refused with an `InvalidPluginError` naming it; the registry reports
a refused entry-point plugin with its distribution.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from .errors import InvalidPluginError

if TYPE_CHECKING:
    import pluggy


def describe(plugin: object, name: str | None) -> str:
    """How messages name a plugin: its registered name, else its module or class."""
    if name and not name.isdigit():
        return repr(name)
    return repr(getattr(plugin, "__name__", None) or type(plugin).__name__)


def check_api_version(plugin: object, name: str | None) -> None:
    """Refuse a plugin whose ``ROUTILUX_PLUGIN_API`` this routilux does not serve."""
    from .hookspecs import OLDEST_PLUGIN_API_VERSION, PLUGIN_API_ATTRIBUTE, PLUGIN_API_VERSION

    wanted = getattr(plugin, PLUGIN_API_ATTRIBUTE, None)
    if wanted is None:
        return
    who = describe(plugin, name)
    if type(wanted) is not int:
        raise InvalidPluginError(
            f"plugin {who}: {PLUGIN_API_ATTRIBUTE} must be an int (the plugin API version "
            f"it needs), not {wanted!r}"
        )
    if wanted > PLUGIN_API_VERSION:
        raise InvalidPluginError(
            f"plugin {who} needs routilux plugin API version {wanted}, but this routilux "
            f"serves version {PLUGIN_API_VERSION}; upgrade routilux, or install a release "
            f"of the plugin made for plugin API {PLUGIN_API_VERSION}"
        )
    if wanted < OLDEST_PLUGIN_API_VERSION:
        raise InvalidPluginError(
            f"plugin {who} was written for routilux plugin API version {wanted}, which this "
            f"routilux no longer serves (versions {OLDEST_PLUGIN_API_VERSION} to "
            f"{PLUGIN_API_VERSION}); upgrade the plugin"
        )


def check_plugin(pm: pluggy.PluginManager, plugin: object, name: str | None) -> None:
    """Refuse a just-registered plugin with an unknown hook or a hook wrapper.

    pluggy keeps a hook implementation without a specification pending instead
    of failing (a later ``add_hookspecs`` could declare it); routilux declares
    every hook up front, so ``check_pending`` runs after each registration.
    Every plugin registered before passed it, so what it finds is this plugin's.
    """
    import pluggy

    from .hookspecs import OBSERVER_HOOKS, REGISTRATION_HOOKS

    who = describe(plugin, pm.get_name(plugin) or name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError:
        hooks = [*REGISTRATION_HOOKS.values(), *OBSERVER_HOOKS]
        problems = []
        for caller in pm.get_hookcallers(plugin) or []:
            if not caller.has_spec():
                close = difflib.get_close_matches(caller.name, hooks, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(f"{caller.name!r}{hint}")
        if not problems:  # pending from a plugin registered around this manager
            raise
        raise InvalidPluginError(
            f"plugin {who} implements unknown hook {', '.join(problems)}: "
            "routilux has no such hook (see routilux.hookspecs); rename it, or mark it "
            "@hookimpl(optionalhook=True) if it is meant for a later routilux"
        ) from None
    for caller in pm.get_hookcallers(plugin) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and (impl.wrapper or impl.hookwrapper):
                raise InvalidPluginError(
                    f"plugin {who} implements {caller.name!r} as a hook wrapper; routilux "
                    "calls each plugin's hooks on their own and does not run wrappers: "
                    "drop wrapper=True / hookwrapper=True"
                )
