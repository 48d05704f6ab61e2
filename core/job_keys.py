"""Which keys a serialized JobState carries: routilux 0.10's, and each of ours only
when it says something.

``job.serialize()`` writes 0.10's fifteen keys (``_type``, ``flow_id``, ``job_id``,
``status``, ``current_routine_id``, ``routine_states``, ``execution_history``,
``pending_tasks``, ``pause_points``, ``deferred_events``, ``shared_data``,
``shared_log``, ``output_log``, ``created_at``, ``updated_at``). Each key routilux
adds is written only when its value differs from what loading infers when the key is
absent, as it must for documents 0.10 wrote (which have none of them). So a plain
job serializes with 0.10's keys, and every job loads back with every field equal, but
for ``routine_counts`` (below).

`omit_inferred` drops those keys from a whole document; `infer_absent` puts the
inferred values back on load. The two are defined together, here, so that they stay
each other's inverse: a key dropped by the first is restored to the same value by
the second (``routine_counts`` aside). Stores keep whole documents (`unstructure_job_state(full=True)`,
`routilux.checkpoint`): this concerns ``serialize()`` only.

What a missing key means:

``schema_version``
    0: the document is read as 0.10's and migrated (`routilux.serialization`). A
    version-1 document reads the same that way unless it has pending activations
    (0.10's ``pending_tasks`` entries have other keys), so the version is written
    whenever there are some (and always, once there is a version 2).
``history_total``, ``shared_log_total``, ``output_log_total``
    as many as the document holds (nothing was dropped by the history limit).
``history_limit``
    the default limit when the history and the logs fit in it, else None (keep all:
    a 0.10 job with a longer history loses nothing).
``entry_routine_id``
    ``current_routine_id`` (0.10 kept the entry routine there).
``checkpoint_seq``
    0; ``metadata``, ``slot_buffers``, ``tracebacks``: ``{}``; ``idle_activated``:
    ``[]``.
``routine_counts``
    ``{}``. The one key left out although loading cannot infer it: 0.10 programs list
    a finished job's keys, and its counts of activations that emitted nothing are in
    no record. So they are written only when the history limit dropped records (then
    the history no longer shows what the job did); a job whose history is whole
    loads back without counts, as a 0.10 document does. Stores keep them always.
"""

from __future__ import annotations

from typing import Any

from .records import DEFAULT_HISTORY_LIMIT

#: Keys whose absence means an empty value.
_EMPTY: dict[str, Any] = {
    "checkpoint_seq": 0,
    "metadata": {},
    "slot_buffers": {},
    "tracebacks": {},
    "idle_activated": [],
    "routine_counts": {},
}
#: Each log's total (records ever made), absent when nothing was dropped.
_TOTALS = {
    "history_total": "execution_history",
    "shared_log_total": "shared_log",
    "output_log_total": "output_log",
}


def _length(data: dict[str, Any], key: str) -> int:
    """How many entries the log `key` of `data` holds (0 if it is not a list: the
    converter then names the key and what it must be)."""
    value = data.get(key)
    return len(value) if isinstance(value, list) else 0


def _inferred_limit(data: dict[str, Any]) -> int | None:
    """The history limit a document without one gets (see the module docstring)."""
    longest = max(_length(data, key) for key in _TOTALS.values())
    return DEFAULT_HISTORY_LIMIT if longest <= DEFAULT_HISTORY_LIMIT else None


def _inferred(data: dict[str, Any], key: str) -> Any:
    """What loading `data` without `key` gives for it."""
    if key in _EMPTY:
        return _EMPTY[key]
    if key in _TOTALS:
        return _length(data, _TOTALS[key])
    if key == "history_limit":
        return _inferred_limit(data)
    if key == "entry_routine_id":
        current = data.get("current_routine_id")
        return current if isinstance(current, str) else None
    raise KeyError(key)  # pragma: no cover - only the keys above are inferred


#: The keys `omit_inferred` may drop (schema_version aside).
INFERRED_KEYS = (*_EMPTY, *_TOTALS, "history_limit", "entry_routine_id")


def omit_inferred(document: dict[str, Any], schema_version: int) -> dict[str, Any]:
    """`document` (a whole serialized JobState, without ``schema_version``) without
    the keys whose values loading infers, and with ``schema_version`` (after
    ``_type``) only when reading it as 0.10's would differ."""
    kept = {key: value for key, value in document.items() if _kept(document, key, value)}
    if schema_version == 1 and not document.get("pending_tasks"):
        return kept
    return {"_type": kept.pop("_type"), "schema_version": schema_version, **kept}


def _kept(document: dict[str, Any], key: str, value: Any) -> bool:
    """Whether `omit_inferred` keeps `key` (see the module docstring)."""
    if key not in INFERRED_KEYS:
        return True
    if key == "routine_counts":
        history_whole = document.get("history_total", 0) <= _length(document, "execution_history")
        return not history_whole and bool(value)
    return _differs(value, _inferred(document, key))


def _differs(value: Any, inferred: Any) -> bool:
    # a bool is never an int here (the converter refuses it), nor 0 the same as None
    return type(value) is not type(inferred) or value != inferred


def infer_absent(data: dict[str, Any]) -> dict[str, Any]:
    """`data` (migrated to the current schema) with every absent inferred key filled."""
    for key in INFERRED_KEYS:
        if key not in data:
            data[key] = _inferred(data, key)
    return data
