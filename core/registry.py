"""The plugin registry: names to factories, loaded lazily from entry points.

Nothing here runs at ``import routilux``. The first lookup creates a pluggy
PluginManager and reads the entry-point group ``routilux`` (metadata only). A
lookup of ``acme.square`` then imports only the plugin behind the entry point
named ``acme``; only if that does not provide the name are the other plugins
imported, to find it or to suggest close names. Listing (`list_plugins`)
imports everything. A plugin that fails to import is reported with its
distribution and does not take the others down.
"""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from .errors import DuplicatePluginError, PluginLoadError, UnknownPluginError

if TYPE_CHECKING:
    import pluggy

    from .executor import Executor
    from .observers import Observers
    from .output import OutputHandler
    from .store import JobStore

log = logging.getLogger("routilux.registry")

ENTRY_POINT_GROUP = "routilux"
EXECUTOR_ALIASES = {"sequential": "inline", "concurrent": "threads"}


@attrs.frozen
class Registration:
    """One name registered by one plugin."""

    kind: str
    name: str
    factory: Any
    owner: str  # the distribution (or object) that registered it

    @property
    def summary(self) -> str:
        """The first line of the factory's docstring."""
        doc = getattr(self.factory, "__doc__", None) or ""
        return doc.strip().splitlines()[0].strip() if doc.strip() else ""


@attrs.frozen
class PluginInfo:
    """An installed plugin as `routilux plugins` shows it."""

    name: str
    distribution: str
    version: str
    module: str
    registers: dict[str, list[str]]
    error: str | None = None


class _Registry:
    """The process-wide plugin manager and what it has loaded."""

    def __init__(self) -> None:
        import importlib_metadata
        import pluggy

        from . import hookspecs

        self.pm: pluggy.PluginManager = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.lock = threading.RLock()
        self.entry_points: dict[str, list[Any]] = {}
        for ep in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
            self.entry_points.setdefault(ep.name, []).append(ep)
        self.loaded: set[str] = set()
        self.failures: dict[str, PluginLoadError] = {}
        self.owners: dict[int, tuple[str, str, str]] = {}  # id(plugin) -> dist, version, ep
        self.tables: dict[str, dict[str, list[Registration]]] = {}
        self.version = 0
        self._observers: tuple[int, Observers | None] = (-1, None)

    # ------------------------------------------------------------- loading

    def load(self, ep_name: str) -> bool:
        """Import the plugins behind entry point `ep_name`; True if any was new."""
        with self.lock:
            if ep_name in self.loaded or ep_name not in self.entry_points:
                return False
            self.loaded.add(ep_name)
            changed = False
            for ep in self.entry_points[ep_name]:
                dist = getattr(ep, "dist", None)
                dist_name = dist.name if dist is not None else "?"
                dist_version = dist.version if dist is not None else "?"
                try:
                    plugin = ep.load()
                except Exception as exc:
                    failure = PluginLoadError(ep_name, dist_name, exc)
                    self.failures[ep_name] = failure
                    log.warning("%s", failure)
                    continue
                if self.pm.is_registered(plugin):
                    continue
                self.pm.register(plugin, name=f"{dist_name}:{ep.value}")
                self.owners[id(plugin)] = (dist_name, dist_version, ep_name)
                changed = True
            if changed:
                self._changed()
            return changed

    def load_all(self) -> None:
        for name in list(self.entry_points):
            self.load(name)

    def load_observers(self) -> None:
        for name in list(self.entry_points):
            if name == "observers" or name.startswith("observers."):
                self.load(name)

    def _changed(self) -> None:
        self.tables.clear()
        self.version += 1

    # ------------------------------------------------------------- tables

    def owner_of(self, plugin: object) -> str:
        owner = self.owners.get(id(plugin))
        if owner is not None:
            return owner[0]
        return getattr(plugin, "__name__", None) or type(plugin).__name__

    def table(self, kind: str) -> dict[str, list[Registration]]:
        """Every name of `kind` registered by the loaded plugins, with its owners."""
        from .hookspecs import REGISTRATION_HOOKS

        with self.lock:
            cached = self.tables.get(kind)
            if cached is not None:
                return cached
            hook = getattr(self.pm.hook, REGISTRATION_HOOKS[kind])
            table: dict[str, list[Registration]] = {}
            for impl in hook.get_hookimpls():
                owner = self.owner_of(impl.plugin)
                try:
                    result = impl.function()
                except Exception as exc:
                    log.warning("plugin %s failed in %s: %r", owner, hook.name, exc)
                    continue
                for name, factory in (result or {}).items():
                    table.setdefault(name, []).append(Registration(kind, name, factory, owner))
            self.tables[kind] = table
            return table

    def find(self, kind: str, name: str, namespace: str) -> Any:
        table = self.table(kind)
        if name not in table:
            self.load(namespace)
            table = self.table(kind)
            if name not in table:
                self.load_all()
                table = self.table(kind)
        found = table.get(name)
        if not found:
            suggestions = difflib.get_close_matches(name, list(table), n=3, cutoff=0.6)
            failure = self.failures.get(namespace)
            detail = str(failure) if failure is not None else ""
            raise UnknownPluginError(kind, name, suggestions, detail)
        if len(found) > 1:
            owners = " and ".join(repr(r.owner) for r in found)
            raise DuplicatePluginError(
                f"{kind} {name!r} is registered by {owners}; uninstall one of them "
                "or ask its authors to rename it"
            )
        return found[0].factory

    def observers(self) -> Observers | None:
        from .observers import make_observers

        with self.lock:
            version, observers = self._observers
            if version != self.version:
                observers = make_observers(self.pm)
                self._observers = (self.version, observers)
            return observers


_registry: _Registry | None = None
_registry_lock = threading.Lock()


def _get() -> _Registry:
    global _registry
    if _registry is None:
        with _registry_lock:
            if _registry is None:
                _registry = _Registry()
    return _registry


def plugin_manager() -> pluggy.PluginManager:
    """The pluggy PluginManager (created on first use)."""
    return _get().pm


# ------------------------------------------------------------------ lookups


def get_routine(name: str) -> Any:
    """The routine factory registered as `name` (``"text.clip"``)."""
    return _get().find("routine", name, name.split(".", 1)[0])


def get_output_handler(name: str) -> Callable[..., OutputHandler]:
    """The output handler factory registered as `name`."""
    return _get().find("output handler", name, name.split(".", 1)[0])  # type: ignore[no-any-return]


def get_error_strategy(name: str) -> Callable[[Any], Any]:
    """The error strategy factory registered as `name` (``"retry"``)."""
    return _get().find("error strategy", name, name.split(".", 1)[0])  # type: ignore[no-any-return]


def get_storage_backend(scheme: str) -> Callable[[str], JobStore]:
    """The job store factory registered for URL scheme `scheme` (``"sqlite"``)."""
    return _get().find("storage backend", scheme, scheme.split(".", 1)[0])  # type: ignore[no-any-return]


def get_executor(name: str) -> Callable[..., Executor]:
    """The executor factory registered as `name` (``sequential``/``concurrent`` are aliases)."""
    name = EXECUTOR_ALIASES.get(name, name)
    return _get().find("executor", name, name.split(".", 1)[0])  # type: ignore[no-any-return]


def registrations(kind: str) -> list[Registration]:
    """Every registration of `kind` by any installed plugin (imports all plugins)."""
    registry = _get()
    registry.load_all()
    return [r for regs in registry.table(kind).values() for r in regs]


def list_plugins() -> list[PluginInfo]:
    """Every installed plugin with what it registers (imports all plugins)."""
    from .hookspecs import REGISTRATION_HOOKS

    registry = _get()
    registry.load_all()
    infos: dict[str, PluginInfo] = {}
    for plugin in registry.pm.get_plugins():
        dist, version, ep_name = registry.owners.get(id(plugin), ("", "", ""))
        registers: dict[str, list[str]] = {}
        for kind, hook_name in REGISTRATION_HOOKS.items():
            for impl in getattr(registry.pm.hook, hook_name).get_hookimpls():
                if impl.plugin is plugin:
                    try:
                        names = sorted((impl.function() or {}).keys())
                    except Exception as exc:
                        names = [f"<error: {exc!r}>"]
                    registers.setdefault(kind, []).extend(names)
        observes = [
            hook.name
            for hook in registry.pm.get_hookcallers(plugin) or []
            if hook.name.startswith("routilux_") and hook.name.endswith(("_started", "_finished"))
        ]
        if observes:
            registers["observer"] = sorted(observes)
        module = getattr(plugin, "__name__", type(plugin).__name__)
        name = ep_name or module
        key = f"{dist}:{module}"
        if key in infos:
            continue
        infos[key] = PluginInfo(name, dist or "(registered in process)", version, module, registers)
    for ep_name, failure in registry.failures.items():
        infos[f"!{ep_name}"] = PluginInfo(
            ep_name, failure.distribution, "", "", {}, error=str(failure)
        )
    return sorted(infos.values(), key=lambda p: (p.distribution, p.name))


def observers() -> Observers | None:
    """The observer hooks to call for a job, or None when no plugin observes jobs."""
    registry = _get()
    registry.load_observers()
    return registry.observers()


@contextmanager
def registered(plugin: object, name: str | None = None) -> Iterator[object]:
    """Register `plugin` (a module or object with hook implementations) for a while.

    Uses pluggy's own ``register``/``unregister``; lookups see the plugin at once.
    """
    registry = _get()
    with registry.lock:
        registry.pm.register(plugin, name=name)
        registry._changed()
    try:
        yield plugin
    finally:
        with registry.lock:
            registry.pm.unregister(plugin)
            registry._changed()
