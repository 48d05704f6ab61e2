"""routilux: event-driven workflows whose runs survive crashes and grow by plugins.

A `Routine` declares slots (inputs with handlers) and events (outputs); a
`Flow` wires events to slots; every ``flow.execute()`` returns a new, independent
`JobState` holding everything that changes during that run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    AsyncHandlerError,
    DefinitionError,
    DuplicatePluginError,
    DuplicateRoutineError,
    EventNotFoundError,
    ExecutionContextError,
    FlowError,
    FlowMismatchError,
    FlowSpecError,
    HandlerCancelledError,
    HandlerTimeoutError,
    InvalidExecutionStrategyError,
    InvalidPluginError,
    JobClaimedError,
    JobFileNotFoundError,
    JobNotFoundError,
    JobStateError,
    NotSerializableError,
    PauseAnswerError,
    PluginError,
    PluginLoadError,
    RemoteHandlerError,
    RemoteUnavailable,
    RoutiluxError,
    RoutineConfigError,
    RoutineNotFoundError,
    SchemaVersionError,
    SerializationError,
    SlotNotFoundError,
    StoreError,
    UnknownPluginError,
    UsageError,
    WrongTypeError,
)

if TYPE_CHECKING:
    from .builtin_routines import (
        ConditionalRouter,
        DataFlattener,
        DataTransformer,
        DataValidator,
        ResultExtractor,
        TextClipper,
        TextRenderer,
        TimeProvider,
    )
    from .connection import Connection
    from .context import ExecutionContext
    from .error_handling import (
        ActivationFailure,
        ErrorAction,
        ErrorDecision,
        ErrorHandler,
        ErrorStrategy,
    )
    from .event import Event
    from .execution_tracker import ExecutionTracker
    from .flow import Flow
    from .job_state import ExecutionRecord, JobState, JobStatus, RoutineStatus, SlotActivation
    from .output import (
        CallbackOutputHandler,
        NullOutputHandler,
        OutputHandler,
        QueueOutputHandler,
    )
    from .routine import Routine
    from .slot import Slot
    from .store import JobStore, JobSummary, open_store

#: Public names and the module each comes from: imported on first use, so that
#: `import routilux` loads no attrs, logging or threading machinery until needed.
_LAZY = {
    # routilux 0.10's built-in routines and tracker (compatibility)
    "ConditionalRouter": "builtin_routines",
    "DataFlattener": "builtin_routines",
    "DataTransformer": "builtin_routines",
    "DataValidator": "builtin_routines",
    "ResultExtractor": "builtin_routines",
    "TextClipper": "builtin_routines",
    "TextRenderer": "builtin_routines",
    "TimeProvider": "builtin_routines",
    "ExecutionTracker": "execution_tracker",
    "Connection": "connection",
    "ExecutionContext": "context",
    "ActivationFailure": "error_handling",
    "ErrorAction": "error_handling",
    "ErrorDecision": "error_handling",
    "ErrorHandler": "error_handling",
    "ErrorStrategy": "error_handling",
    "Flow": "flow",
    "ExecutionRecord": "job_state",
    "JobState": "job_state",
    "JobStatus": "job_state",
    "RoutineStatus": "job_state",
    "SlotActivation": "job_state",
    "CallbackOutputHandler": "output",
    "NullOutputHandler": "output",
    "OutputHandler": "output",
    "QueueOutputHandler": "output",
    "Event": "event",
    "Routine": "routine",
    "Slot": "slot",
    "JobStore": "store",
    "JobSummary": "store",
    "open_store": "store",
}

if TYPE_CHECKING:
    import pluggy

    hookimpl: pluggy.HookimplMarker

__version__ = "0.1.0"

__all__ = [
    "ActivationFailure",
    "AsyncHandlerError",
    "CallbackOutputHandler",
    "ConditionalRouter",
    "Connection",
    "DataFlattener",
    "DataTransformer",
    "DataValidator",
    "DefinitionError",
    "DuplicatePluginError",
    "DuplicateRoutineError",
    "ErrorAction",
    "ErrorDecision",
    "ErrorHandler",
    "ErrorStrategy",
    "Event",
    "EventNotFoundError",
    "ExecutionContext",
    "ExecutionContextError",
    "ExecutionRecord",
    "ExecutionTracker",
    "Flow",
    "FlowError",
    "FlowMismatchError",
    "FlowSpecError",
    "HandlerCancelledError",
    "HandlerTimeoutError",
    "InvalidExecutionStrategyError",
    "InvalidPluginError",
    "JobClaimedError",
    "JobFileNotFoundError",
    "JobNotFoundError",
    "JobState",
    "JobStateError",
    "JobStatus",
    "JobStore",
    "JobSummary",
    "NotSerializableError",
    "NullOutputHandler",
    "OutputHandler",
    "PauseAnswerError",
    "PluginError",
    "PluginLoadError",
    "QueueOutputHandler",
    "RemoteHandlerError",
    "RemoteUnavailable",
    "ResultExtractor",
    "RoutiluxError",
    "Routine",
    "RoutineConfigError",
    "RoutineNotFoundError",
    "RoutineStatus",
    "SchemaVersionError",
    "SerializationError",
    "Slot",
    "SlotActivation",
    "SlotNotFoundError",
    "StoreError",
    "TextClipper",
    "TextRenderer",
    "TimeProvider",
    "UnknownPluginError",
    "UsageError",
    "WrongTypeError",
    "hookimpl",
    "open_store",
]


def __getattr__(name: str) -> Any:
    # the core's classes, pluggy and the registry load on first use, keeping
    # `import routilux` cheap
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    if name == "hookimpl":
        from .hookspecs import hookimpl

        return hookimpl
    if name in (
        "registry",
        "hookspecs",
        "testing",
        "serialization",
        "spec",
        "cli",
        "builtin_routines",
        "execution_tracker",
    ):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'routilux' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
