"""The plugin registry: names to factories, loaded lazily from entry points.

Nothing here runs at ``import routilux``. The first lookup creates a pluggy
PluginManager and reads the entry-point group ``routilux`` (metadata only). A
lookup of ``acme.square`` then imports only the plugins behind the entry point
named ``acme``; only if they do not provide the name are the other plugins
imported, to find it or to suggest close names. Listing (`list_plugins`,
`registrations`) imports everything. A plugin that fails to import (or to
register) is reported with its distribution and does not take the others down.

Plugins registered in process (``routilux.testing.plugin``, or pluggy's own
``plugin_manager().register``) are seen by the next lookup.
"""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from .errors import (
    DuplicatePluginError,
    InvalidPluginError,
    PluginLoadError,
    UnknownPluginError,
)

if TYPE_CHECKING:
    import pluggy

    from .executor import Executor
    from .observers import Observers
    from .output import OutputHandler
    from .store import JobStore

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "routilux"
EXECUTOR_ALIASES = {"sequential": "inline", "concurrent": "threads"}
KINDS = ("routine", "output handler", "error strategy", "storage backend", "executor", "command")


@attrs.frozen
class Registration:
    """One name registered by one plugin."""

    kind: str
    name: str
    factory: Any
    owner: str  # the distribution (or, in process, the plugin's name) that registered it

    @property
    def summary(self) -> str:
        """The first line of the factory's docstring, as a terminal shows it: reST's
        ``literal`` markup becomes `literal` (``routilux routines``, the serve API)."""
        doc = (getattr(self.factory, "__doc__", None) or "").strip()
        return doc.splitlines()[0].strip().replace("``", "`") if doc else ""

    @property
    def config_schema(self) -> type | None:
        """The attrs class describing the config the factory accepts, if it declares one."""
        schema = getattr(self.factory, "config_schema", None)
        return schema if isinstance(schema, type) and attrs.has(schema) else None


@attrs.frozen
class PluginInfo:
    """An installed plugin as `routilux plugins` shows it."""

    name: str
    distribution: str
    version: str
    module: str
    registers: dict[str, list[str]]
    error: str | None = None
    entry_points: tuple[str, ...] = ()


@attrs.define
class _Source:
    """Where a plugin registered from entry points came from."""

    distribution: str
    version: str
    module: str
    entry_points: list[str]


def _new_manager(lock: threading.RLock, on_change: Callable[[], None]) -> pluggy.PluginManager:
    import pluggy

    from . import hookspecs
    from .plugin_checks import check_api_version, check_plugin, describe

    class PluginManager(pluggy.PluginManager):
        """pluggy's manager, changed under the registry's lock, telling it what changed.

        `register` refuses a plugin that breaks the plugin API (`check_plugin`):
        the plugin is left unregistered and `InvalidPluginError` names it.
        """

        def register(self, plugin: Any, name: str | None = None) -> str | None:
            with lock:
                check_api_version(plugin, name)
                try:
                    result = super().register(plugin, name)
                except pluggy.PluginValidationError as exc:  # an impl not matching its spec
                    raise InvalidPluginError(
                        f"plugin {describe(plugin, name)} does not match the plugin API: {exc}"
                    ) from None
                if result is None:  # blocked
                    return None
                try:
                    check_plugin(self, plugin, name)
                except InvalidPluginError:
                    super().unregister(plugin)
                    raise
                on_change()
                return result

        def unregister(self, plugin: Any = None, name: str | None = None) -> Any:
            with lock:
                result = super().unregister(plugin, name)
                on_change()
                return result

    pm = PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


class _Registry:
    """The process-wide plugin manager and what it has loaded."""

    def __init__(self) -> None:
        import importlib_metadata

        self.lock = threading.RLock()
        self.version = 0
        self.tables: dict[str, dict[str, list[Registration]]] = {}
        self._observers: tuple[int, Observers | None] = (-1, None)
        self.entry_points: dict[str, list[Any]] = {}
        for ep in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
            self.entry_points.setdefault(ep.name, []).append(ep)
        self.loaded: set[str] = set()
        self.observers_loaded = False
        self.failures: list[PluginLoadError] = []
        self.sources: dict[str, _Source] = {}  # pluggy plugin name -> where it came from
        self.pm = _new_manager(self.lock, self._changed)

    def _changed(self) -> None:
        with self.lock:
            self.tables = {}
            self.version += 1

    # ------------------------------------------------------------- loading

    def load(self, ep_name: str) -> None:
        """Import and register the plugins behind entry point `ep_name` (once)."""
        with self.lock:
            if ep_name in self.loaded:
                return
            self.loaded.add(ep_name)
            for ep in self.entry_points.get(ep_name, ()):
                self._load_entry_point(ep)

    def _load_entry_point(self, ep: Any) -> None:
        dist = getattr(ep, "dist", None)
        dist_name = dist.name if dist is not None else "?"
        dist_version = dist.version if dist is not None else "?"
        plugin_name = f"{dist_name}:{ep.value}"
        source = self.sources.get(plugin_name)
        if source is not None:  # several entry points of one distribution name one module
            source.entry_points.append(ep.name)
            return
        try:
            plugin = ep.load()
            if self.pm.is_registered(plugin):
                return
            self.pm.register(plugin, name=plugin_name)
        except (Exception, SystemExit) as exc:  # a broken plugin must not take the rest down
            failure = PluginLoadError(ep.name, dist_name, exc)
            self.failures.append(failure)
            log.warning("%s", failure)
            return
        module = getattr(plugin, "__name__", None) or ep.value
        self.sources[plugin_name] = _Source(dist_name, dist_version, module, [ep.name])

    def load_all(self) -> None:
        for name in list(self.entry_points):
            self.load(name)

    def load_observers(self) -> None:
        if self.observers_loaded:
            return
        with self.lock:
            self.load_group("observers")
            self.observers_loaded = True

    def load_group(self, prefix: str) -> None:
        """Load the entry points named `prefix` or ``prefix.<something>``."""
        with self.lock:
            for name in list(self.entry_points):
                if name == prefix or name.startswith(prefix + "."):
                    self.load(name)

    # ------------------------------------------------------------- tables

    def owner_of(self, plugin: object) -> str:
        """The distribution of an entry-point plugin, else the plugin's registered name."""
        name = self.pm.get_name(plugin)
        if name is not None:
            source = self.sources.get(name)
            if source is not None:
                return source.distribution
            if not name.isdigit():  # pluggy names unnamed objects by their id()
                return name
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
            for impl in reversed(hook.get_hookimpls()):  # no wrappers: refused on register
                owner = self.owner_of(impl.plugin)
                for name, factory in _call_registration(impl, hook.name, owner).items():
                    table.setdefault(name, []).append(Registration(kind, name, factory, owner))
            self.tables[kind] = table
            return table

    def find(self, kind: str, name: str, namespace: str) -> Any:
        # The namespace's own plugins load first even when another plugin already
        # provides the name, so that a clash is reported whatever was loaded before.
        self.load(namespace)
        table = self.table(kind)
        if name not in table:
            self.load_all()
            table = self.table(kind)
        found = table.get(name)
        if not found:
            known = [*table, *EXECUTOR_ALIASES] if kind == "executor" else list(table)
            raise UnknownPluginError(kind, name, _suggestions(name, known), self._hint(namespace))
        if len(found) > 1:
            raise DuplicatePluginError(kind, name, sorted(r.owner for r in found))
        return found[0].factory

    def _hint(self, namespace: str) -> str:
        own = [str(f) for f in self.failures if f.entry_point == namespace]
        if own:
            return "; ".join(own)
        if self.failures:
            broken = ", ".join(f"{f.entry_point!r} ({f.distribution})" for f in self.failures)
            return f"plugins that failed to load and might provide it: {broken}"
        return ""

    def observers(self) -> Observers | None:
        version, observers = self._observers
        if version == self.version:
            return observers
        from .observers import make_observers

        with self.lock:
            version = self.version
            observers = make_observers(self.pm)
            self._observers = (version, observers)
            return observers


def _call_registration(impl: Any, hook_name: str, owner: str) -> Mapping[str, Any]:
    """The mapping a registration hook returns; a broken one is logged and ignored."""
    try:
        result = impl.function()
    except Exception as exc:
        log.warning("plugin %s failed in %s: %r", owner, hook_name, exc)
        return {}
    if result is None:
        return {}
    if not isinstance(result, Mapping):
        log.warning(
            "plugin %s: %s returned %s, not a mapping of name to factory; ignored",
            owner,
            hook_name,
            type(result).__name__,
        )
        return {}
    good: dict[str, Any] = {}
    for name, factory in result.items():
        if isinstance(name, str) and name and callable(factory):
            good[name] = factory
        else:
            log.warning(
                "plugin %s: %s registers %r -> %r; a name must be a non-empty str and "
                "a factory callable; ignored",
                owner,
                hook_name,
                name,
                factory,
            )
    return good


def _suggestions(name: str, known: list[str]) -> list[str]:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if close or "." not in name:
        return close
    prefix = name.split(".", 1)[0] + "."
    return sorted(n for n in known if n.startswith(prefix))[:5]


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
    """The pluggy PluginManager (created on first use).

    Plugins it registers or unregisters are seen by the next lookup.
    """
    return _get().pm


# ------------------------------------------------------------------ lookups


def _namespace(name: str) -> str:
    return name.split(".", 1)[0]


def get_routine(name: str) -> Any:
    """The routine factory registered as `name` (``"text.clip"``).

    `UnknownPluginError` (with the closest names) if none is; `DuplicatePluginError`
    (naming both owners) if two plugins register it.
    """
    return _get().find("routine", name, _namespace(name))


def get_output_handler(name: str) -> Callable[..., OutputHandler]:
    """The output handler factory registered as `name`."""
    return _get().find("output handler", name, _namespace(name))  # type: ignore[no-any-return]


def get_error_strategy(name: str) -> Callable[[Any], Any]:
    """The error strategy factory registered as `name` (``"retry"``)."""
    return _get().find("error strategy", name, _namespace(name))  # type: ignore[no-any-return]


def get_storage_backend(scheme: str) -> Callable[[str], JobStore]:
    """The job store factory registered for URL scheme `scheme` (``"sqlite"``)."""
    return _get().find("storage backend", scheme, _namespace(scheme))  # type: ignore[no-any-return]


def get_executor(name: str) -> Callable[..., Executor]:
    """The executor factory registered as `name` (``sequential``/``concurrent`` are aliases)."""
    name = EXECUTOR_ALIASES.get(name, name)
    return _get().find("executor", name, _namespace(name))  # type: ignore[no-any-return]


def registrations(kind: str) -> list[Registration]:
    """Every registration of `kind` by any installed plugin (imports all plugins).

    A name registered twice appears once per owner.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown plugin kind {kind!r}; use one of {KINDS}")
    registry = _get()
    registry.load_all()
    return [r for regs in registry.table(kind).values() for r in regs]


def list_plugins() -> list[PluginInfo]:
    """Every installed plugin with what it registers (imports all plugins).

    Plugins that failed to load are listed with their `error`.
    """
    from .hookspecs import OBSERVER_HOOKS, REGISTRATION_HOOKS

    registry = _get()
    registry.load_all()
    infos: list[PluginInfo] = []
    with registry.lock:
        for plugin_name, plugin in registry.pm.list_name_plugin():
            registers: dict[str, list[str]] = {}
            for kind, hook_name in REGISTRATION_HOOKS.items():
                for impl in getattr(registry.pm.hook, hook_name).get_hookimpls():
                    if impl.plugin is plugin:
                        names = _call_registration(impl, hook_name, plugin_name)
                        registers.setdefault(kind, []).extend(sorted(names))
            observes = [
                hook.name
                for hook in registry.pm.get_hookcallers(plugin) or []
                if hook.name in OBSERVER_HOOKS
            ]
            if observes:
                registers["observer"] = sorted(observes)
            source = registry.sources.get(plugin_name)
            if source is not None:
                infos.append(
                    PluginInfo(
                        source.entry_points[0],
                        source.distribution,
                        source.version,
                        source.module,
                        registers,
                        entry_points=tuple(source.entry_points),
                    )
                )
            else:
                owner = registry.owner_of(plugin)
                module = getattr(plugin, "__name__", None) or type(plugin).__name__
                infos.append(PluginInfo(owner, "(registered in process)", "", module, registers))
        for failure in registry.failures:
            infos.append(
                PluginInfo(
                    failure.entry_point,
                    failure.distribution,
                    "",
                    "",
                    {},
                    error=str(failure),
                    entry_points=(failure.entry_point,),
                )
            )
    return sorted(infos, key=lambda p: (p.distribution, p.name))


def observers() -> Observers | None:
    """The observer hooks to call for a job, or None when no plugin observes jobs.

    The scheduler asks once per job; loads the ``observers*`` entry points on first use.
    """
    registry = _registry
    if registry is None or not registry.observers_loaded:
        registry = _get()
        registry.load_observers()
    return registry.observers()


def cli_commands() -> dict[str, Registration]:
    """The ``routilux`` subcommands plugins add (hook ``routilux_cli_commands``), by name.

    Loads only the ``cli`` / ``cli.*`` entry points. A name two plugins register
    is logged and left out (neither is guessed at).
    """
    registry = _get()
    registry.load_group("cli")
    commands: dict[str, Registration] = {}
    for name, regs in registry.table("command").items():
        if len(regs) > 1:
            log.warning("%s", DuplicatePluginError("command", name, sorted(r.owner for r in regs)))
            continue
        commands[name] = regs[0]
    return commands


@contextmanager
def registered(plugin: object, name: str | None = None) -> Iterator[object]:
    """Register `plugin` (a module or object with hook implementations) for a while.

    Uses pluggy's own ``register``/``unregister``; lookups see the plugin at
    once. `name` is how errors (e.g. a duplicate name) refer to the plugin.
    """
    pm = _get().pm
    pm.register(plugin, name=name)
    try:
        yield plugin
    finally:
        pm.unregister(plugin)
