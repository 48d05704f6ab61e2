"""The run-time options of a Flow and the checks of what users pass to it.

Kept apart from `flow.py` so that the Flow reads as what it does; every check
raises a `RoutiluxError` that names the argument and the flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import FlowError, UsageError, describe

#: When a flow with a store saves its jobs (see `Flow`).
CHECKPOINT_MODES = ("on_pause", "on_finish", "every_activation")
#: The default per-job activation limit (see `Flow`).
DEFAULT_MAX_ACTIVATIONS = 1_000_000


#: The most workers a flow may ask for: executors start them all at once (threads,
#: or processes), so a spec's ``max_workers = 100000`` would exhaust the machine.
MAX_WORKERS = 1024


def check_max_workers(value: Any, flow_id: str) -> int:
    """`value` if it is a usable ``max_workers`` (an int from 1 to `MAX_WORKERS`); else
    FlowError.

    Zero or fewer workers would leave every job waiting forever.
    """
    if type(value) is not int or value < 1:
        raise FlowError(
            f"flow {flow_id!r}: max_workers must be a positive int (1 or more), not {value!r}"
        )
    if value > MAX_WORKERS:
        raise FlowError(
            f"flow {flow_id!r}: max_workers {value} is more than {MAX_WORKERS}, the most a "
            "flow may start at once; use fewer workers"
        )
    return value


#: The most checkpoints a flow may keep per job: stores do arithmetic on it in
#: 64-bit integers (SQLite), and no one browses more.
MAX_KEPT_CHECKPOINTS = 1_000_000


def check_keep_checkpoints(value: Any) -> int:
    """`value` if it is a usable ``keep_checkpoints`` (an int from 0 to
    `MAX_KEPT_CHECKPOINTS`); else FlowError."""
    if type(value) is not int or value < 0:
        raise FlowError(
            f"keep_checkpoints must be a whole number >= 0 (0 keeps none), not {value!r}"
        )
    if value > MAX_KEPT_CHECKPOINTS:
        raise FlowError(
            f"keep_checkpoints {value} is more than {MAX_KEPT_CHECKPOINTS:,}, the most a "
            "flow may keep per job; keep fewer"
        )
    return value


def check_max_activations(value: Any, flow_id: str) -> int | None:
    """`value` if it is a usable ``max_activations`` (an int of at least 1, or None)."""
    if value is not None and (type(value) is not int or value < 1):
        raise FlowError(
            f"flow {flow_id!r}: max_activations must be a positive int or None (no limit), "
            f"not {value!r}"
        )
    return value


def check_connect_arguments(
    source_routine_id: Any,
    source_event: Any,
    target_routine_id: Any,
    target_slot: Any,
    param_mapping: Any,
) -> None:
    """`UsageError` naming the argument of `Flow.connect` that has the wrong type."""
    for name, value in (
        ("source_routine_id", source_routine_id),
        ("source_event", source_event),
        ("target_routine_id", target_routine_id),
        ("target_slot", target_slot),
    ):
        if not isinstance(value, str):
            raise UsageError(
                f"connect(): {name} must be a str (a routine id, event or slot name), "
                f"not {type(value).__name__} {describe(value)}"
            )
    if param_mapping is not None and not isinstance(param_mapping, Mapping):
        raise UsageError(
            f"connect(): param_mapping of {source_routine_id}.{source_event} -> "
            f"{target_routine_id}.{target_slot} must be a dict {{event_key: slot_key}}, "
            f"not {type(param_mapping).__name__} {describe(param_mapping)}"
        )
