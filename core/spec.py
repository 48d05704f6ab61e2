"""Flow specs: a flow as plain data, built only from known routine types.

`flow_to_dict` / `flow_from_dict` are what `Flow.serialize` / `Flow.deserialize`
use; the same format is what users write in spec files::

    flow_id: wordcount
    execution_strategy: concurrent          # optional
    max_workers: 4                          # optional
    executor_options: {address: "tcp://..."}  # optional, passed to the executor
    checkpoint: every_activation            # optional: on_finish (default), on_pause
    max_activations: 50000                  # optional: per job; null for no limit
    history: 1000                           # optional: records kept, "full" or "off"
    keep_checkpoints: 5                     # optional: keep each job's last 5 checkpoints
    error_handler: {strategy: retry}        # optional
    routines:
      read:  {type: io.read_lines, config: {path: "data.txt"}}
      count: {type: data.count_words, error_handler: {strategy: continue}}
    connections:
      - {from: read.line, to: count.input, param_mapping: {line: text}}
    entry: read

Run-time parameters fill ``{{ params.NAME }}`` placeholders in routine configs
(``Flow.from_file(path, params={...})``, ``routilux run SPEC --param NAME=VALUE``),
over defaults given in the spec's ``params`` mapping; see `substitute_params` for
the one rule (no expressions, nothing evaluated).

A routine is named by ``type`` (a registered plugin name) or, in data written
by `Flow.serialize`, by ``class`` (``module:qualname`` of a Routine subclass
already imported in this process). Nothing in a spec is imported or evaluated.
Problems are collected and reported together as one `FlowSpecError`, each with
its path (``routines.count.type``, ``connections[2].from``).
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import TYPE_CHECKING, Any

from .errors import FlowSpecError, RoutiluxError, UnknownPluginError
from .payload import check_payload, copy_json
from .records import DEFAULT_HISTORY_LIMIT, history_limit_of
from .routine import Routine, class_key
from .routine_config import build_registered_routine, build_routine

if TYPE_CHECKING:
    from .flow import Flow

SPEC_VERSION = 1
TOP_LEVEL_KEYS = (
    "schema_version",
    "flow_id",
    "execution_strategy",
    "max_workers",
    "executor_options",
    "checkpoint",
    "max_activations",
    "history",
    "keep_checkpoints",
    "error_handler",
    "routines",
    "connections",
    "entry",
    "params",
)
ROUTINE_KEYS = ("type", "class", "config", "error_handler")
CONNECTION_KEYS = ("from", "to", "param_mapping")


# ------------------------------------------------------------------- to data


def flow_to_dict(flow: Flow) -> dict[str, Any]:
    """The flow's structure as JSON-compatible data."""
    from .flow_options import DEFAULT_MAX_ACTIVATIONS

    routines: dict[str, Any] = {}
    for routine_id, routine in flow.routines.items():
        entry: dict[str, Any] = {}
        if routine.registered_name is not None:
            entry["type"] = routine.registered_name
        else:
            _check_rebuildable(routine_id, type(routine))
            entry["class"] = class_key(type(routine))
        if config := routine.config():
            check_payload(config, f"routines.{routine_id}.config")
            entry["config"] = copy_json(config)
        if (handler := routine.get_error_handler()) is not None:
            entry["error_handler"] = handler.to_dict()
        routines[routine_id] = entry
    data: dict[str, Any] = {
        "schema_version": SPEC_VERSION,
        "flow_id": flow.flow_id,
        "execution_strategy": flow.execution_strategy,
        "max_workers": flow.max_workers,
    }
    if flow.executor_options:
        check_payload(flow.executor_options, "executor_options")
        data["executor_options"] = copy_json(flow.executor_options)
    if flow.checkpoint != "on_finish":
        data["checkpoint"] = flow.checkpoint
    if flow.max_activations != DEFAULT_MAX_ACTIVATIONS:
        data["max_activations"] = flow.max_activations
    if flow.history_limit != DEFAULT_HISTORY_LIMIT:
        data["history"] = (
            "full"
            if flow.history_limit is None
            else "off"
            if flow.history_limit == 0
            else flow.history_limit
        )
    if flow.keep_checkpoints:
        data["keep_checkpoints"] = flow.keep_checkpoints
    if flow.error_handler is not None:
        data["error_handler"] = flow.error_handler.to_dict()
    data["routines"] = routines
    data["connections"] = [_connection_to_dict(c) for c in flow.connections]
    if getattr(flow, "entry", None):
        data["entry"] = flow.entry  # type: ignore[attr-defined]
    return data


def _connection_to_dict(connection: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "from": f"{connection.source_routine_id}.{connection.source_event_name}",
        "to": f"{connection.target_routine_id}.{connection.target_slot_name}",
    }
    if connection.param_mapping:
        data["param_mapping"] = dict(connection.param_mapping)
    return data


def _check_rebuildable(routine_id: str, cls: type[Routine]) -> None:
    """Fail at serialize time, not on the other host, if the class cannot be rebuilt."""
    if cls.from_config.__func__ is not Routine.from_config.__func__:  # type: ignore[attr-defined]
        return
    try:
        params = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return
    required = [
        p.name
        for p in list(params)[1:]
        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if required:
        from .errors import FlowError

        raise FlowError(
            f"routine {routine_id!r} ({class_key(cls)}) cannot be serialized: its __init__ "
            f"requires {', '.join(required)}; keep such settings in _config (set_config) and "
            "give the class a no-argument __init__, or override Routine.from_config"
        )


# ----------------------------------------------------------------- from data


def _split_endpoint(
    text: Any, path: str, problems: list[tuple[str, str]]
) -> tuple[str, str] | None:
    if not isinstance(text, str) or "." not in text:
        problems.append((path, f"must be 'routine.event' or 'routine.slot', not {text!r}"))
        return None
    routine_id, _, name = text.rpartition(".")
    if not routine_id or not name:
        problems.append((path, f"must be 'routine.event' or 'routine.slot', not {text!r}"))
        return None
    return routine_id, name


PLACEHOLDER = re.compile(r"\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def substitute_params(
    value: Any, params: dict[str, Any], path: str, problems: list[tuple[str, str]]
) -> Any:
    """Replace ``{{ params.NAME }}`` placeholders in the strings of `value`.

    The one substitution rule of specs, applied to routine configs: a string
    that is exactly one placeholder becomes the parameter's value (keeping its
    type: ``"{{ params.top }}"`` with ``top=10`` is the number 10); a
    placeholder inside a longer string is replaced by the value's text. Nothing
    is evaluated. A name with no value is a problem at `path`.
    """
    if isinstance(value, str):
        names = PLACEHOLDER.findall(value)
        if not names:
            return value
        missing = [n for n in names if n not in params]
        if missing:
            given = ", ".join(sorted(params)) or "none"
            problems.append(
                (
                    path,
                    f"param {missing[0]!r} is not set (params set: {given}); pass it with "
                    f"--param {missing[0]}=VALUE or give it a default under [params]",
                )
            )
            return value
        whole = PLACEHOLDER.fullmatch(value.strip())
        if whole:
            return params[whole.group(1)]
        return PLACEHOLDER.sub(lambda m: str(params[m.group(1)]), value)
    if isinstance(value, dict):
        return {k: substitute_params(v, params, f"{path}.{k}", problems) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute_params(v, params, f"{path}[{i}]", problems) for i, v in enumerate(value)]
    return value


def flow_from_dict(
    data: Any, into: Flow | None = None, source: str = "", params: dict[str, Any] | None = None
) -> Flow:
    """Build a Flow from spec data, checking everything before anything runs.

    `params` fill the ``{{ params.NAME }}`` placeholders of routine configs
    (see `substitute_params`), over the defaults of the spec's ``params``
    mapping. Every problem found is reported in one `FlowSpecError` (with
    `source`, e.g. the spec file's path, in its message).
    """
    from .error_handling import ErrorHandler
    from .flow import Flow

    problems: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        raise FlowSpecError(
            [("", f"a flow spec must be a mapping, not {type(data).__name__}")], source
        )
    defaults = data.get("params", {})
    if not isinstance(defaults, dict):
        problems.append(("params", "must be a mapping of parameter names to default values"))
        defaults = {}
    all_params = {**defaults, **(params or {})}
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append((str(key), f"unknown key; use one of {list(TOP_LEVEL_KEYS)}"))
    version = data.get("schema_version", SPEC_VERSION)
    if version != SPEC_VERSION:
        problems.append(("schema_version", f"this routilux reads spec version {SPEC_VERSION}"))

    flow = into if into is not None else Flow()
    flow.tolerate_downstream_errors = False  # a spec's failures always reach a strategy
    if "flow_id" in data:
        if isinstance(data["flow_id"], str) and data["flow_id"]:
            flow.flow_id = data["flow_id"]
        else:
            problems.append(("flow_id", "must be a non-empty string"))
    if "execution_strategy" in data:
        if isinstance(data["execution_strategy"], str):
            flow.execution_strategy = data["execution_strategy"]
            try:
                from .registry import get_executor

                get_executor(flow.execution_strategy)
            except RoutiluxError as exc:
                problems.append(("execution_strategy", str(exc)))
        else:
            problems.append(("execution_strategy", "must be a string"))
    if "max_workers" in data:
        workers = data["max_workers"]
        if type(workers) is int and workers >= 1:
            flow.max_workers = workers
        else:
            problems.append(("max_workers", f"must be a positive integer, not {workers!r}"))
    _run_options(flow, data, problems)
    if "history" in data:
        try:
            flow.history_limit = history_limit_of(data["history"], "history")
        except RoutiluxError as exc:
            problems.append(("history", str(exc)))
    if "keep_checkpoints" in data:
        keep = data["keep_checkpoints"]
        if type(keep) is int and keep >= 0:
            flow.keep_checkpoints = keep
        else:
            problems.append(("keep_checkpoints", f"must be an integer >= 0, not {keep!r}"))
    if "error_handler" in data:
        try:
            flow.error_handler = ErrorHandler.from_dict(data["error_handler"], "error_handler")
        except FlowSpecError as exc:
            problems.extend(exc.problems)

    routines = data.get("routines")
    if not isinstance(routines, dict) or not routines:
        problems.append(("routines", "must be a non-empty mapping of routine id to routine"))
        routines = {}
    for routine_id, entry in routines.items():
        if isinstance(entry, dict) and "config" in entry:
            entry = dict(entry)
            entry["config"] = substitute_params(
                entry["config"], all_params, f"routines.{routine_id}.config", problems
            )
        _add_routine(flow, str(routine_id), entry, problems)

    connections = data.get("connections", [])
    if not isinstance(connections, list):
        problems.append(("connections", "must be a list"))
        connections = []
    # routines that are declared but could not be built have their problem reported
    # already; connections to them are not reported again as "no routine"
    unbuilt = {str(rid) for rid in routines} - set(flow.routines)
    for index, entry in enumerate(connections):
        _add_connection(flow, index, entry, problems, unbuilt)

    if "entry" in data:
        entry_id = data["entry"]
        routine = flow.routines.get(entry_id) if isinstance(entry_id, str) else None
        if routine is None:
            if not isinstance(entry_id, str):
                problems.append(("entry", "must be a routine id"))
            elif entry_id not in unbuilt:
                problems.append(("entry", f"no routine {entry_id!r} in routines"))
        elif routine.get_slot("trigger") is None:
            problems.append(
                ("entry", f"routine {entry_id!r} has no 'trigger' slot, so it cannot start a job")
            )
        else:
            flow.entry = entry_id  # type: ignore[attr-defined]
    if problems:
        raise FlowSpecError(problems, source)
    return flow


def _run_options(flow: Flow, data: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    """The keys that say how jobs run: executor_options, checkpoint, max_activations."""
    from .flow_options import CHECKPOINT_MODES

    if "executor_options" in data:
        options = data["executor_options"]
        if isinstance(options, dict) and all(isinstance(k, str) for k in options):
            try:
                check_payload(options, "executor_options")  # JSON data only
                flow.executor_options = copy_json(options)
            except RoutiluxError as exc:
                problems.append(("executor_options", str(exc)))
        else:
            problems.append(("executor_options", "must be a mapping of option names to values"))
    if "checkpoint" in data:
        mode = data["checkpoint"]
        if mode in CHECKPOINT_MODES:
            flow.checkpoint = mode
        else:
            problems.append(
                ("checkpoint", f"must be one of {', '.join(CHECKPOINT_MODES)}, not {mode!r}")
            )
    if "max_activations" in data:
        limit = data["max_activations"]
        if limit is None or (type(limit) is int and limit >= 1):
            flow.max_activations = limit
        else:
            problems.append(
                (
                    "max_activations",
                    f"must be a positive integer (or null for no limit), not {limit!r}",
                )
            )


def _add_routine(flow: Flow, routine_id: str, entry: Any, problems: list[tuple[str, str]]) -> None:
    from .error_handling import ErrorHandler

    path = f"routines.{routine_id}"
    if not isinstance(entry, dict):
        problems.append((path, f"must be a mapping with a 'type', not {type(entry).__name__}"))
        return
    for key in entry:
        if key not in ROUTINE_KEYS:
            problems.append((f"{path}.{key}", f"unknown key; use one of {list(ROUTINE_KEYS)}"))
    config = entry.get("config", {})
    if not isinstance(config, dict):
        problems.append((f"{path}.config", f"must be a mapping, not {type(config).__name__}"))
        config = {}
    handler = None
    if "error_handler" in entry:
        try:
            handler = ErrorHandler.from_dict(entry["error_handler"], f"{path}.error_handler")
        except FlowSpecError as exc:
            problems.extend(exc.problems)
    try:
        if "type" in entry:
            name = entry["type"]
            if not isinstance(name, str):
                problems.append((f"{path}.type", "must be a registered routine name"))
                return
            routine = build_registered_routine(name, config, path)
        elif "class" in entry:
            key = entry["class"]
            cls = Routine.class_named(key) if isinstance(key, str) else None
            if cls is None:
                problems.append(
                    (
                        f"{path}.class",
                        f"routine class {key!r} is not defined in this process; import the "
                        "module that defines it before loading the flow",
                    )
                )
                return
            routine = build_routine(cls, config, path)
        else:
            problems.append((path, "needs a 'type' (a registered routine name)"))
            return
    except UnknownPluginError as exc:
        problems.append((f"{path}.type", str(exc)))
        return
    except FlowSpecError as exc:
        problems.extend(exc.problems)
        return
    except RoutiluxError as exc:
        problems.append((path, str(exc)))
        return
    except Exception as exc:  # a routine's constructor rejected its config
        problems.append((f"{path}.config", f"{type(exc).__name__}: {exc}"))
        return
    if handler is not None:
        routine.set_error_handler(handler)
    try:
        flow.add_routine(routine, routine_id)
    except RoutiluxError as exc:
        problems.append((path, str(exc)))


def _check_endpoint(
    flow: Flow,
    endpoint: tuple[str, str] | None,
    kind: str,
    path: str,
    problems: list[tuple[str, str]],
    unbuilt: set[str],
) -> bool:
    """Whether ``routine.event`` (or ``routine.slot``) exists; reports it if not."""
    if endpoint is None:
        return False
    routine_id, name = endpoint
    routine = flow.routines.get(routine_id)
    if routine is None:
        if routine_id not in unbuilt:
            problems.append((path, f"no routine {routine_id!r} in routines"))
        return False
    declared = routine.events if kind == "event" else routine.slots
    if name not in declared:
        known = ", ".join(sorted(declared)) or "none"
        plural = "events" if kind == "event" else "slots"
        problems.append(
            (path, f"routine {routine_id!r} has no {kind} {name!r} ({plural}: {known})")
        )
        return False
    return True


def _add_connection(
    flow: Flow, index: int, entry: Any, problems: list[tuple[str, str]], unbuilt: set[str]
) -> None:
    path = f"connections[{index}]"
    if not isinstance(entry, dict):
        problems.append((path, "must be a mapping {from: routine.event, to: routine.slot}"))
        return
    for key in entry:
        if key not in CONNECTION_KEYS:
            problems.append((f"{path}.{key}", f"unknown key; use one of {list(CONNECTION_KEYS)}"))
    source = _split_endpoint(entry.get("from"), f"{path}.from", problems)
    target = _split_endpoint(entry.get("to"), f"{path}.to", problems)
    mapping = entry.get("param_mapping", {})
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        problems.append((f"{path}.param_mapping", "must map event keys (str) to slot keys (str)"))
        mapping = {}
    ok = _check_endpoint(flow, source, "event", f"{path}.from", problems, unbuilt)
    ok = _check_endpoint(flow, target, "slot", f"{path}.to", problems, unbuilt) and ok
    if ok and source is not None and target is not None:
        flow.connect(source[0], source[1], target[0], target[1], mapping)


# --------------------------------------------------------------------- files


def load_spec_file(path: str) -> Any:
    """Read a spec file (``.toml``, ``.json``; ``.yaml``/``.yml`` with PyYAML installed)."""
    import json
    import os

    suffix = os.path.splitext(path)[1].lower()
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise FlowSpecError([("", f"cannot read spec file: {exc.strerror or exc}")], path) from None
    try:
        if suffix == ".toml":
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover - Python 3.10
                import tomli as tomllib
            return tomllib.loads(raw.decode("utf-8"))
        if suffix in (".yaml", ".yml"):
            try:
                import yaml  # type: ignore[import-untyped]
            except ImportError:
                raise FlowSpecError(
                    [("", "YAML specs need PyYAML: pip install 'routilux[yaml]'")], path
                ) from None
            return yaml.safe_load(raw.decode("utf-8"))
        if suffix == ".json":
            return json.loads(raw.decode("utf-8"))
    except FlowSpecError:
        raise
    except Exception as exc:
        raise FlowSpecError([("", f"not valid {suffix[1:].upper()}: {exc}")], path) from None
    raise FlowSpecError([("", "unknown spec format; use .toml, .json, .yaml or .yml")], path)
