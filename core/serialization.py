"""One cattrs converter for everything routilux stores, built on first use.

`unstructure_job_state` / `structure_job_state` turn a JobState into plain
JSON-compatible data and back: whole (with a ``schema_version``, as stores keep it)
or with 0.10's keys and only the others loading cannot infer (``serialize()``, see
`routilux.job_keys`). Older documents are
migrated step by step (version 0 is the original routilux format, with
``"_type"`` tags and naive timestamps); a newer version than this code knows is
a `SchemaVersionError`. Structuring is strict (types are checked, unknown keys
rejected) and never imports or calls anything named by the data.

This module sits below `routilux.job_state`: JobState's ``serialize``/``load``
call it, and it recognises JobState by its saved-field declarations
(`routilux.saved_fields`) and gets the class passed or registered, never
importing it, so the two modules form no import cycle.

`checkpoint_delta` gives a store what changed since its last save of a job, so
that a checkpoint costs O(what changed), not O(the whole job).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .built_once import BuiltOnce
from .errors import RoutiluxError, SchemaVersionError, SerializationError
from .job_keys import infer_absent, omit_inferred

# Where these lived before `routilux.json_files`; kept importable for stores written then.
from .json_files import read_json_file as read_json_file
from .json_files import write_json_atomic as write_json_atomic
from .json_files import write_text_atomic as write_text_atomic
from .payload import check_payload, is_flat_payload
from .records import JOB_STATUSES, ExecutionRecord, JobStatus, SlotActivation
from .saved_fields import Part, copy_of, immutable, runtime_fields, saved_fields
from .times import epoch_of, iso_utc, shown_time, utc_iso

if TYPE_CHECKING:
    import cattrs

    from .job_state import JobState

SCHEMA_VERSION = 1

_converter: BuiltOnce[cattrs.Converter] = BuiltOnce(lambda: _build_converter())


def converter() -> cattrs.Converter:
    """The process-wide converter (built on first use: cattrs is not imported before)."""
    return _converter()


def _strict(kind: type, name: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is bool and kind is not bool:
            raise TypeError(f"expected {name}, got bool")
        if kind is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, kind):
            raise TypeError(f"expected {name}, got {type(value).__name__}")
        return value

    return structure


class _Explained(ValueError):
    """A structuring error whose message is shown as is (not cattrs' "invalid value")."""


def _structure_status(value: Any, _: Any) -> JobStatus:
    if isinstance(value, str) and value in JOB_STATUSES:
        return JobStatus(value)
    raise _Explained(f"unknown job status {value!r}; use one of {sorted(JOB_STATUSES)}")


def _format_exception(exc: BaseException, type_: Any) -> str:
    from cattrs.v import format_exception

    # a RoutiluxError (JobState's own checks, e.g. history_limit) names the key and rule
    explained = isinstance(exc, (_Explained, RoutiluxError))
    return str(exc) if explained else format_exception(exc, type_)


def _build_converter() -> cattrs.Converter:
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(datetime, utc_iso)
    conv.register_structure_hook(datetime, lambda value, _: shown_time(value))
    conv.register_structure_hook(str, _strict(str, "str"))
    conv.register_structure_hook(int, _strict(int, "int"))
    conv.register_structure_hook(float, _strict(float, "number"))
    conv.register_structure_hook(bool, _strict(bool, "bool"))
    conv.register_structure_hook(JobStatus, _structure_status)

    conv.register_unstructure_hook(ExecutionRecord, make_dict_unstructure_fn(ExecutionRecord, conv))
    conv.register_structure_hook(
        ExecutionRecord,
        make_dict_structure_fn(ExecutionRecord, conv, _cattrs_forbid_extra_keys=True),
    )
    activation_overrides: dict[str, Any] = {"slot_name": override(rename="slot")}
    conv.register_unstructure_hook(
        SlotActivation, make_dict_unstructure_fn(SlotActivation, conv, **activation_overrides)
    )
    conv.register_structure_hook(
        SlotActivation,
        make_dict_structure_fn(
            SlotActivation, conv, _cattrs_forbid_extra_keys=True, **activation_overrides
        ),
    )

    def unstructure_pending(pending: dict[int, SlotActivation]) -> list[dict[str, Any]]:
        return [conv.unstructure(a) for a in pending.values()]

    def structure_pending(value: Any, _: Any) -> dict[int, SlotActivation]:
        tasks = conv.structure(value, list[SlotActivation])
        by_seq = {task.seq: task for task in tasks}
        if len(by_seq) != len(tasks):
            raise ValueError("pending_tasks: two tasks have the same seq")
        return by_seq

    def unstructure_history(entries: list[Any]) -> list[dict[str, Any]]:
        return [history_entry_to_dict(e) for e in entries]

    def structure_history(value: Any, _: Any) -> list[Any]:
        if not isinstance(value, list):
            raise TypeError(f"execution_history must be a list, not {type(value).__name__}")
        return [_history_entry(item, index) for index, item in enumerate(value)]

    def unstructure_log(entries: Any) -> list[Any]:
        return list(entries)

    def structure_log(value: Any, _: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError(f"must be a list, not {type(value).__name__}")
        return conv.structure(value, list[dict[str, Any]])

    def structure_count(key: str) -> Callable[[Any, Any], int]:
        def structure(value: Any, _: Any) -> int:
            if type(value) is not int or value < 0:
                raise _Explained(f"{key} must be a whole number >= 0, not {value!r}")
            return value

        return structure

    def structure_job_id(value: Any, _: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _Explained(f"job_id must be a non-empty str, not {value!r}")
        return value

    hooks: dict[str, tuple[Callable[[Any], Any] | None, Callable[[Any, Any], Any]]] = {
        "_execution_history": (unstructure_history, structure_history),
        "_pending": (unstructure_pending, structure_pending),
        "_shared_log": (unstructure_log, structure_log),
        "_output_log": (unstructure_log, structure_log),
        "job_id": (None, structure_job_id),
        **{
            f"_{key}": (None, structure_count(key))
            for key in ("checkpoint_seq", "history_total", "shared_log_total", "output_log_total")
        },
    }

    def document_overrides(cls: type) -> dict[str, Any]:
        # The saved fields are declared on the class (saved_fields); the rest is omitted.
        overrides: dict[str, Any] = {name: override(omit=True) for name in runtime_fields(cls)}
        for field in saved_fields(cls):
            unstruct_hook, struct_hook = hooks.get(field.attribute, (None, None))
            if field.key != field.attribute or struct_hook is not None:
                overrides[field.attribute] = override(
                    rename=field.key, unstruct_hook=unstruct_hook, struct_hook=struct_hook
                )
        return overrides

    # JobState is recognised by its saved-field declarations, not imported: this
    # module sits below routilux.job_state (whose serialize() and load() call it).
    conv.register_unstructure_hook_factory(
        _declares_saved_fields,
        lambda cls: make_dict_unstructure_fn(cls, conv, **document_overrides(cls)),
    )
    conv.register_structure_hook_factory(
        _declares_saved_fields,
        lambda cls: make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, **document_overrides(cls)
        ),
    )
    return conv


def _declares_saved_fields(cls: Any) -> bool:
    """Whether `cls` is an attrs class with saved fields (JobState): a saved document."""
    import attrs

    return isinstance(cls, type) and attrs.has(cls) and bool(saved_fields(cls))


#: The JobState class, registered by routilux.job_state when it is defined (see
#: `register_job_state_class`): what `structure_job_state` builds by default.
_job_state_class: list[type[JobState]] = []


def register_job_state_class(cls: type[JobState]) -> None:
    """Make `cls` what `structure_job_state` builds (called by routilux.job_state,
    which imports this module: this module never imports it back)."""
    _job_state_class[:] = [cls]


# ------------------------------------------------------------------ JobState


def history_entry_to_dict(entry: Any, labelled: bool = True) -> dict[str, Any]:
    """One history entry as serialized: ``ExecutionRecord.serialize``'s keys, with
    routilux 0.10's ``"_type": "ExecutionRecord"`` (a label, never looked up) unless
    not `labelled` (store rows, which need not repeat it)."""
    routine_id, event_name, data, ts = entry
    fields = {
        "routine_id": routine_id,
        "event_name": event_name,
        "data": data,
        "timestamp": iso_utc(ts),
    }
    return {"_type": "ExecutionRecord", **fields} if labelled else fields


def history_rows(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """`history_entry_to_dict` of each of `entries`, unlabelled (a store's rows), in one
    comprehension: a save after a busy activation writes hundreds at once, and two
    calls less per record are a third of its cost."""
    iso = iso_utc
    return [
        {"routine_id": routine_id, "event_name": event_name, "data": data, "timestamp": iso(ts)}
        for routine_id, event_name, data, ts in entries
    ]


_RECORD_KEYS = frozenset({"routine_id", "event_name", "data", "timestamp"})
#: The same with the ``_type`` label (routilux 0.10 wrote it; older saves lack it).
_LABELLED_KEYS = _RECORD_KEYS | {"_type"}
_KEYS = sorted(_RECORD_KEYS)


def _history_entry(item: Any, index: int) -> tuple[str, str, dict[str, Any], float]:
    """Check one serialized ExecutionRecord and turn it into a history entry (its path,
    for messages, is formatted only on an error: this runs once per record)."""
    keys = item.keys() if isinstance(item, dict) else None
    if keys != _RECORD_KEYS and not (keys == _LABELLED_KEYS and item["_type"] == "ExecutionRecord"):
        raise TypeError(
            f"execution_history[{index}]: must be an object with keys {_KEYS} "
            '(and "_type": "ExecutionRecord" if any)'
        )
    routine_id, event_name, data = item["routine_id"], item["event_name"], item["data"]
    if not (isinstance(routine_id, str) and isinstance(event_name, str)):
        raise TypeError(f"execution_history[{index}]: routine_id and event_name must be strings")
    if not isinstance(data, dict):
        raise TypeError(f"execution_history[{index}].data: must be an object")
    if not is_flat_payload(data):
        check_payload(data, f"execution_history[{index}].data")
    return (routine_id, event_name, data, epoch_of(item["timestamp"]))


@functools.cache
def _copy_plan(
    cls: type, parts: tuple[Part, ...], shared: bool
) -> tuple[tuple[str, str, Callable[[Any], Any] | None], ...]:
    """(init name, attribute to read, copy or None for immutable values) per field, for a
    job that `shared` its values with its handlers (never saved) or not (`copy_of`)."""
    plan = [(f.init_name, f.read, copy_of(f, shared)) for f in saved_fields(cls) if f.part in parts]
    return tuple((name, read, None if copy is immutable else copy) for name, read, copy in plan)


def copy_saved(job_state: JobState, parts: tuple[Part, ...]) -> dict[str, Any]:
    """Copies of the saved fields of `job_state` in `parts`, as init arguments
    (call with its lock held). A checkpoint per activation calls this: kept lean."""
    cls: type = type(job_state)
    return {
        name: getattr(job_state, read) if copy is None else copy(getattr(job_state, read))
        for name, read, copy in _copy_plan(cls, parts, not job_state.json_only)
    }


def _copy_for_serialization(job_state: JobState) -> JobState:
    """A consistent copy of `job_state`'s serialized fields, taken under its lock."""
    with job_state.lock:
        return _copy_locked(job_state)


def _copy_locked(job_state: JobState) -> JobState:
    """`_copy_for_serialization` with the lock already held."""
    return type(job_state)(**copy_saved(job_state, ("document", "log", "pending")))


def unstructure_job_state(job_state: JobState, full: bool = False) -> dict[str, Any]:
    """JSON-compatible data for `job_state`: routilux 0.10's keys and each other key
    only when loading could not infer its value (`routilux.job_keys`), or, `full`,
    every key with ``schema_version`` first (what stores keep)."""
    data = converter().unstructure(_copy_for_serialization(job_state))
    # "_type" is routilux 0.10's tag, kept so that its readers recognize the document
    if full:
        return {"_type": "JobState", "schema_version": SCHEMA_VERSION, **data}
    return omit_inferred({"_type": "JobState", **data}, SCHEMA_VERSION)


#: Levels a saved job puts around a payload (``slot_buffers[r][s][key]``, ...): what an emit
#: accepted (`MAX_PAYLOAD_DEPTH` below its own root) must load again.
DOCUMENT_WRAPPING = 8


def structure_job_state(data: Any, cls: type[JobState] | None = None) -> JobState:
    """A new JobState (or `cls`) from serialized data of any schema version this reads."""
    if cls is None:
        if not _job_state_class:  # pragma: no cover - JobState exists once data does
            raise SerializationError("routilux.job_state must be imported to load a JobState")
        cls = _job_state_class[0]
    if not isinstance(data, dict):
        raise SerializationError(
            f"a serialized JobState must be a JSON object, not {type(data).__name__}"
        )
    data = infer_absent(migrate(dict(data)))  # keys serialize() leaves out, 0.10 lacks
    data.pop("_type", None)
    try:  # the history's records are checked one by one while structuring
        rest = {k: v for k, v in data.items() if k != "execution_history"}
        check_payload(rest, "job_state", -DOCUMENT_WRAPPING)
    except Exception as exc:
        raise SerializationError(f"malformed JobState: {exc}") from None
    try:
        return converter().structure(data, cls)
    except Exception as exc:
        raise SerializationError(f"malformed JobState: {_describe(exc)}") from None


def _describe(exc: BaseException) -> str:
    try:
        import cattrs

        if isinstance(exc, cattrs.BaseValidationError):
            return "; ".join(
                _user_facing(m)
                for m in cattrs.transform_error(exc, path="$", format_exception=_format_exception)
            )
    except Exception:  # pragma: no cover - fall back to the plain message
        pass
    return f"{type(exc).__name__}: {exc}"


def _user_facing(message: str) -> str:
    """``"expected int @ $._pending[0].seq"`` -> ``"pending_tasks[0].seq: expected int"``.

    cattrs names JobState's private attributes; a user reading the error knows the
    document's keys (what `serialize` writes), so the path is given in those.
    """
    text, sep, path = message.rpartition(" @ ")
    if not sep or not path.startswith("$"):
        return message
    path = path[1:].lstrip(".")
    match = re.match(r"(\w+)(.*)", path)
    if match:
        name, rest = match.groups()
        if name == "_pending":
            name = "pending_tasks"
            rest = re.sub(r"^(\[\d+\])\.slot_name\b", r"\1.slot", rest)
        elif name.startswith("_"):
            name = name[1:]
        path = name + rest
    return f"{path or 'the document'}: {text}"


# ---------------------------------------------------------------- migrations


def _from_original(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (routilux 0.10, serilux) -> version 1."""
    data.pop("_type", None)
    history = []
    for record in data.get("execution_history") or []:
        if isinstance(record, dict):
            record = dict(record)
            if record.get("_type") == "ExecutionRecord":  # any other label is refused
                del record["_type"]
            if record.get("data") is None:
                record["data"] = {}
        history.append(record)
    data["execution_history"] = history
    tasks = []
    for seq, task in enumerate(data.get("pending_tasks") or []):
        if not isinstance(task, dict):
            tasks.append(task)
            continue
        tasks.append(
            {
                "seq": seq,
                "routine_id": task.get("slot_routine_id"),
                "slot": task.get("slot_name"),
                "data": task.get("data") or {},
                "attempt": task.get("retry_count", 0),
                "merged": False,
            }
        )
    data["pending_tasks"] = tasks
    data.setdefault("metadata", {})
    data.setdefault("slot_buffers", {})
    for key in ("deferred_events", "shared_log", "output_log", "pause_points"):
        data.setdefault(key, [])
    data.setdefault("shared_data", {})
    data.setdefault("routine_states", {})
    return data


#: ``MIGRATIONS[n]`` turns a version-n document into a version n+1 document. A
#: document without ``schema_version`` is read as version 0: ``serialize()`` leaves
#: the version out only when migrating its document from 0 changes nothing
#: (`routilux.job_keys.omit_inferred`; keep that true when adding a version).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _from_original}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a serialized JobState up to `SCHEMA_VERSION`."""
    version = data.pop("schema_version", 0)
    if type(version) is not int or version < 0:
        raise SerializationError(f"schema_version must be a non-negative int, not {version!r}")
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"this JobState was written with schema_version {version}, but this routilux "
            f"reads up to {SCHEMA_VERSION}; upgrade routilux to load it"
        )
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except Exception as exc:
            raise SerializationError(
                f"cannot migrate JobState from schema_version {version}: {exc}"
            ) from None
        version += 1
    return data
