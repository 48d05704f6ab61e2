"""Building a Flow from a checked spec document, looking names up where they are used.

`flow_from_dict` structures the document (`routilux.spec_model.read_spec`), then
builds the flow: routines only from registered names (``type``) or Routine
classes already imported in this process (``class``), connections only between
declared events and slots. Every problem is collected and reported together in
one `FlowSpecError`, each with its path (``routines.count.type``,
``connections[2].from``), before anything runs. Nothing is imported or evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .error_handling import handler_from_spec
from .errors import (
    FlowSpecError,
    NotSerializableError,
    RoutiluxError,
    UnknownPluginError,
    UsageError,
    describe,
)
from .payload import check_payload
from .routine import Routine
from .routine_config import build_registered_routine, build_routine
from .spec_converter import read_spec
from .spec_load import substitute_params
from .spec_model import UNSET, Endpoint, FlowSpec, RoutineSpec, known_keys

if TYPE_CHECKING:
    from .flow import Flow

Problems = list[tuple[str, str]]


def flow_from_dict(
    data: Any, into: Flow | None = None, source: str = "", params: dict[str, Any] | None = None
) -> Flow:
    """Build a Flow from spec data, checking everything before anything runs.

    `params` fill the ``{{ params.NAME }}`` placeholders of routine configs
    (see `substitute_params`), over the defaults of the spec's ``params``
    mapping. Every problem found is reported in one `FlowSpecError` (with
    `source`, e.g. the spec file's path, in its message).
    """
    from .flow import Flow

    if params is not None and not (
        isinstance(params, Mapping) and all(isinstance(k, str) for k in params)
    ):
        raise UsageError(
            f"params must be a mapping of parameter names to values, not {describe(params)}"
        )
    spec, problems = read_spec(data)
    if spec is None:
        raise FlowSpecError(problems, source)
    flow = into if into is not None else Flow()
    flow.tolerate_downstream_errors = False  # a spec's failures always reach a strategy
    _apply_options(flow, spec, problems)
    all_params = {**spec.params, **(params or {})}
    for routine_id, entry in spec.routines.items():
        found = len(problems)
        config = substitute_params(
            entry.config, all_params, f"routines.{routine_id}.config", problems
        )
        if len(problems) == found:  # else its config is not what the spec means
            _check_json(config, f"routines.{routine_id}.config", problems)
        if len(problems) == found:
            _add_routine(flow, routine_id, entry, config, problems)
    # routines that are declared but could not be built have their problem reported
    # already; connections to them are not reported again as "no routine"
    routines = data.get("routines")
    declared = {str(rid) for rid in routines} if isinstance(routines, dict) else set()
    unbuilt = declared - set(flow.routines)
    for index, connection in enumerate(spec.connections):
        path = f"connections[{index}]"
        ok = _check_endpoint(flow, connection.from_, "event", f"{path}.from", problems, unbuilt)
        ok = _check_endpoint(flow, connection.to, "slot", f"{path}.to", problems, unbuilt) and ok
        if ok:
            source_end, target = connection.from_, connection.to
            flow.connect(
                source_end.routine_id,
                source_end.name,
                target.routine_id,
                target.name,
                dict(connection.param_mapping),
            )
    _set_entry(flow, spec.entry, unbuilt, problems)
    if problems:
        raise FlowSpecError(sorted(problems, key=_document_order(data)), source)
    return flow


def _document_order(data: dict[Any, Any]) -> Any:
    """A sort key putting problems in the order of what they name in the spec.

    Top-level keys in the order of the format (unknown ones last), routines in
    the spec's order, connections by index; problems of one place keep the
    order they were found in (the sort is stable).
    """
    keys = {key: index for index, key in enumerate(known_keys(FlowSpec))}
    routines = data.get("routines")
    ids = [str(rid) for rid in routines] if isinstance(routines, dict) else []

    def order(problem: tuple[str, str]) -> tuple[int, int]:
        path = problem[0]
        top = path.split(".", 1)[0].split("[", 1)[0]
        if top == "routines" and path.startswith("routines."):
            rest = path[len("routines.") :]
            named = [i for i, rid in enumerate(ids) if rest == rid or rest.startswith(rid + ".")]
            return keys[top], max(named, default=-1, key=lambda i: len(ids[i]))
        if top == "connections" and path.startswith("connections["):
            index = path[len("connections[") :].split("]", 1)[0]
            return keys[top], int(index) if index.isdigit() else -1
        return keys.get(top, len(keys)), 0

    return order


def _apply_options(flow: Flow, spec: FlowSpec, problems: Problems) -> None:
    """The top-level keys: how the flow's jobs run."""
    if spec.flow_id is not None:
        flow.flow_id = spec.flow_id
    if spec.execution_strategy is not None:
        flow.execution_strategy = spec.execution_strategy
        try:
            from .registry import get_executor

            get_executor(flow.execution_strategy)
        except RoutiluxError as exc:
            problems.append(("execution_strategy", str(exc)))
    if spec.max_workers is not None:
        flow.max_workers = spec.max_workers
    if spec.executor_options is not None:
        flow.executor_options = spec.executor_options
    if spec.checkpoint is not None:
        flow.checkpoint = spec.checkpoint
    if spec.max_activations is not UNSET:
        flow.max_activations = spec.max_activations
    if spec.history is not UNSET:
        flow.history_limit = spec.history
    if spec.keep_checkpoints is not None:
        flow.keep_checkpoints = spec.keep_checkpoints
    if spec.error_handler is not None:
        try:
            flow.error_handler = handler_from_spec(spec.error_handler, "error_handler")
        except FlowSpecError as exc:
            problems.extend(exc.problems)


def _check_json(config: Any, path: str, problems: Problems) -> None:
    """A config must be JSON data, as the spec it is written back to: YAML reads
    dates, ``!!binary`` and ``!!set`` as Python objects a spec cannot hold."""
    try:
        check_payload(config, path)
    except NotSerializableError as exc:
        where = exc.path or path
        message = str(exc)
        message = message[len(where) + 2 :] if message.startswith(where) else message
        # config['key'][0] as specs write paths: config.key[0]
        problems.append((re.sub(r"\['([^'\\]*)'\]", r".\1", where), message))


def _add_routine(
    flow: Flow, routine_id: str, entry: RoutineSpec, config: Any, problems: Problems
) -> None:
    path = f"routines.{routine_id}"
    handler = None
    if entry.error_handler is not None:
        try:
            handler = handler_from_spec(entry.error_handler, f"{path}.error_handler")
        except FlowSpecError as exc:
            problems.extend(exc.problems)
    try:
        if entry.type is not None:
            routine = build_registered_routine(entry.type, config, path, routine_id=routine_id)
        else:
            cls = Routine.class_named(entry.class_ or "")
            if cls is None:
                problems.append(
                    (
                        f"{path}.class",
                        f"routine class {entry.class_!r} is not defined in this process; import "
                        "the module that defines it before loading the flow",
                    )
                )
                return
            routine = build_routine(cls, config, path, routine_id=routine_id)
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
    flow: Flow, endpoint: Endpoint, kind: str, path: str, problems: Problems, unbuilt: set[str]
) -> bool:
    """Whether ``routine.event`` (or ``routine.slot``) exists; reports it if not."""
    routine = flow.routines.get(endpoint.routine_id)
    if routine is None:
        if endpoint.routine_id not in unbuilt:
            problems.append((path, f"no routine {endpoint.routine_id!r} in routines"))
        return False
    declared = routine.events if kind == "event" else routine.slots
    if endpoint.name not in declared:
        known = ", ".join(sorted(declared)) or "none"
        plural = "events" if kind == "event" else "slots"
        problems.append(
            (
                path,
                f"routine {endpoint.routine_id!r} has no {kind} {endpoint.name!r} "
                f"({plural}: {known})",
            )
        )
        return False
    return True


def _set_entry(flow: Flow, entry_id: str | None, unbuilt: set[str], problems: Problems) -> None:
    if entry_id is None:
        return
    routine = flow.routines.get(entry_id)
    if routine is None:
        if entry_id not in unbuilt:
            problems.append(("entry", f"no routine {entry_id!r} in routines"))
    elif routine.get_slot("trigger") is None:
        problems.append(
            ("entry", f"routine {entry_id!r} has no 'trigger' slot, so it cannot start a job")
        )
    else:
        flow.entry = entry_id  # type: ignore[attr-defined]
