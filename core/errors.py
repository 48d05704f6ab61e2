"""The exception hierarchy.

Every error routilux raises on bad input is a `RoutiluxError`. Where the seed
documents' users would catch `ValueError`, the subclass is also a `ValueError`.
Messages name the thing (routine id, slot, spec path, store URL) and say what to do.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .routine import Routine

F = TypeVar("F", bound=Callable[..., Any])


class RoutiluxError(Exception):
    """Base class of every error routilux raises on purpose.

    A subclass declared with ``shown_as=ValueError`` (say) stands where routilux 0.10
    raised that built-in for the same mistake, and is named after it in
    ``type(e).__name__`` and ``repr(e)``, which 0.10's programs print. Its qualified
    name (tracebacks, pickling) stays its own, and ``except RoutineNotFoundError``
    and ``except ValueError`` both catch it.
    """

    def __init_subclass__(cls, shown_as: type[BaseException] | None = None, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if shown_as is not None:
            assert issubclass(cls, shown_as), f"{cls.__qualname__} is no {shown_as.__name__}"
            cls.__name__ = shown_as.__name__


# --- flow structure -------------------------------------------------------------


class FlowError(RoutiluxError, ValueError):
    """A flow was built or used wrongly (unknown ids, bad connections)."""


class RoutineNotFoundError(FlowError, LookupError, shown_as=ValueError):
    """A routine id is not part of the flow."""


class DuplicateRoutineError(FlowError, shown_as=ValueError):
    """A routine id (or the same routine instance) was added twice."""


class SlotNotFoundError(FlowError, LookupError, shown_as=ValueError):
    """A routine has no slot of that name."""


class EventNotFoundError(FlowError, LookupError, shown_as=ValueError):
    """A routine has no event of that name (connect, emit)."""


class DefinitionError(FlowError, shown_as=ValueError):
    """A routine's own definition is wrong (duplicate slot or event, bad merge strategy)."""


class InvalidExecutionStrategyError(FlowError, shown_as=ValueError):
    """An execution strategy names no executor ("Invalid execution strategy: ...")."""


class UsageError(RoutiluxError, TypeError):
    """An API was called with an argument of the wrong type or an unknown keyword;
    the message names the argument."""


class WrongTypeError(UsageError, ValueError, shown_as=ValueError):
    """A value of the wrong type where routilux 0.10 raised ValueError (so both
    ``except TypeError`` and 0.10's ``except ValueError`` catch it)."""


class ExecutionContextError(RoutiluxError, RuntimeError, shown_as=RuntimeError):
    """An operation that needs a running job was called outside one."""


# --- jobs -----------------------------------------------------------------------


class JobStateError(RoutiluxError, ValueError, shown_as=ValueError):
    """A job cannot make the requested transition (resume a completed job, ...)."""


class FlowMismatchError(JobStateError, shown_as=ValueError):
    """A JobState belongs to another flow than the one asked to run it."""


class PauseAnswerError(JobStateError):
    """An answer to a paused job does not fit its pause points (unknown pause id,
    wrong or missing field); nothing of the job was changed."""


class HandlerTimeoutError(RoutiluxError, TimeoutError):
    """A slot handler ran longer than its timeout."""


class HandlerCancelledError(RoutiluxError):
    """A running handler was stopped because its job was cancelled (or its executor
    shut down without waiting)."""


class AsyncHandlerError(FlowError, TypeError):
    """An ``async def`` handler is in a flow whose executor cannot await it.

    Raised by ``add_routine``, by a spec naming such an executor, and before a job
    starts, so that the handler's body is never silently skipped."""


# --- data -----------------------------------------------------------------------


class SerializationError(RoutiluxError, ValueError):
    """Stored or received data is malformed."""


class SchemaVersionError(SerializationError):
    """Data was written by a newer routilux than this one."""


class NotSerializableError(SerializationError, TypeError):
    """A payload is not JSON-compatible; raised by the call that stored it."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class FlowSpecError(RoutiluxError, ValueError):
    """A flow spec (or serialized flow) is invalid. `problems` lists every one found.

    Each problem is ``(path, message)``; ``str(error)`` shows one per line as
    ``path: message``.
    """

    def __init__(self, problems: list[tuple[str, str]] | str, source: str = "") -> None:
        if isinstance(problems, str):
            problems = [("", problems)]
        self.problems = list(problems)
        self.source = source
        head = f"invalid flow spec {source}" if source else "invalid flow spec"
        super().__init__(_problem_text(head, self.problems))


class RoutineConfigError(FlowSpecError):
    """A routine's config does not fit the config schema its factory declares.

    Raised where a routine is built from Python (``flow.add_routine("text.clip",
    "clip", config={...})``): the message names the routine and each bad key,
    relative to the config. `problems` carry the full paths (``clip.config.max_len``);
    a spec's `FlowSpecError` reports the same problems under ``routines.<id>``. A
    `FlowSpecError` subclass, so code catching spec errors catches it too.
    """

    def __init__(self, problems: list[tuple[str, str]], routine: str, config_path: str) -> None:
        self.routine = routine
        self.config_path = config_path
        prefix = f"{config_path}."
        shown = [(p[len(prefix) :] if p.startswith(prefix) else p, m) for p, m in problems]
        RoutiluxError.__init__(self, _problem_text(f"invalid config for routine {routine}", shown))
        self.problems = list(problems)
        self.source = ""


def _problem_text(head: str, problems: list[tuple[str, str]]) -> str:
    lines = [f"{path}: {msg}" if path else msg for path, msg in problems]
    if len(lines) == 1:
        return f"{head}: {lines[0]}"
    return f"{head} ({len(lines)} problems):\n" + "\n".join(f"  {line}" for line in lines)


# --- plugins --------------------------------------------------------------------


class PluginError(RoutiluxError):
    """Base class of plugin discovery and lookup errors."""


class UnknownPluginError(PluginError, LookupError, ValueError):
    """No installed plugin registers the name; `suggestions` are the closest names.

    Also a `ValueError`: routilux 0.10 raised one for an unknown error strategy
    (``ErrorHandler(strategy="...")``), and its programs catch that."""

    def __init__(self, kind: str, name: str, suggestions: list[str], detail: str = "") -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        msg = f"unknown {kind} {name!r}"
        if suggestions:
            msg += "; did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        else:
            msg += "; run `routilux plugins` to see what is installed"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would otherwise quote the message
        return str(self.args[0])


class DuplicatePluginError(PluginError):
    """Two plugins register the same name; `owners` names them (distributions)."""

    def __init__(self, kind: str, name: str, owners: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.owners = list(owners)
        super().__init__(
            f"{kind} {name!r} is registered by more than one plugin: "
            f"{' and '.join(repr(o) for o in self.owners)}; uninstall one of them "
            "or ask its authors to rename it"
        )


class InvalidPluginError(PluginError):
    """A plugin breaks the plugin API and is not registered.

    It implements a hook that does not exist (a misspelled name), implements a
    hook as a wrapper, or needs a plugin API version this routilux does not
    serve. The message names the plugin and what to change.
    """


class PluginLoadError(PluginError):
    """A plugin failed to import or was refused; the other plugins keep working."""

    def __init__(self, entry_point: str, distribution: str, error: BaseException) -> None:
        self.entry_point = entry_point
        self.distribution = distribution
        self.error = error
        super().__init__(
            f"plugin {entry_point!r} from distribution {distribution!r} failed to load: "
            f"{type(error).__name__}: {error}"
        )


# --- remote execution -------------------------------------------------------------


class RemoteHandlerError(RoutiluxError):
    """A remote handler raised an exception that could not be sent back as is.

    `type_name` is the original exception's class name, `remote_traceback` its
    traceback as text. It pickles (it travels back from the worker itself).
    """

    def __init__(self, type_name: str, message: str, remote_traceback: str = "") -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
        self.message = message
        self.remote_traceback = remote_traceback

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.type_name, self.message, self.remote_traceback))


class RemoteUnavailable(RoutiluxError):
    """The activation needs no remote run (its job was cancelled meanwhile)."""


# --- storage --------------------------------------------------------------------


class StoreError(RoutiluxError):
    """A job store failed or was given a bad URL."""


class JobNotFoundError(StoreError, LookupError):
    """The store holds no job with that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class JobFileNotFoundError(JobNotFoundError, FileNotFoundError, shown_as=FileNotFoundError):
    """`JobState.load` found no file at the path (a FileNotFoundError, as in 0.10)."""


class JobClaimedError(StoreError):
    """Another owner holds the job's claim (it is running there); `owner` names it
    (``host:pid:...``) and `lease_until` is when its lease ends unless renewed."""

    def __init__(self, message: str, owner: str = "", lease_until: Any = None) -> None:
        super().__init__(message)
        self.owner = owner
        self.lease_until = lease_until


def describe(value: Any, limit: int = 60) -> str:
    """A short repr for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def strict_arguments(func: F) -> F:
    """Make a call with an unknown keyword or too many arguments raise `UsageError`
    naming it (with the closest known name), instead of a bare TypeError.

    The wrapper keeps `func`'s signature, so introspection shows no ``**kwargs``.
    """
    signature = inspect.signature(func)
    names = list(signature.parameters)

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TypeError:
            # Bound only now: binding on every call cost ~40 us per wait.
            try:
                signature.bind(*args, **kwargs)
            except TypeError as exc:
                unknown = [k for k in kwargs if k not in signature.parameters]
                hint = ""
                if unknown:
                    close = difflib.get_close_matches(unknown[0], names, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                raise UsageError(
                    f"{func.__qualname__}(): {exc}{hint} (it takes {', '.join(names)})"
                ) from None
            raise  # the arguments fit: the TypeError came from inside `func`

    return checked  # type: ignore[return-value]


_E = TypeVar("_E", bound=BaseException)


def with_hint(error: _E, hint: str) -> _E:
    """`error`, whose message is worded as routilux 0.10 worded it (programs print it),
    with what to do as a note: shown under the message in tracebacks and by the
    ``routilux`` command. Python 3.10 has no notes: there the hint ends the message."""
    if hasattr(error, "add_note"):
        error.add_note(hint)
    else:  # pragma: no cover - Python 3.10
        error.args = (f"{error.args[0]} ({hint})", *error.args[1:])
    return error


def message_with_notes(error: BaseException) -> str:
    """The error's message and its notes (`with_hint`), one per line."""
    return "\n".join([str(error), *getattr(error, "__notes__", ())])


def missing_member(
    kind: str, name: str, routine_id: str, declared: Iterable[str], define: str
) -> FlowError:
    """The error for a connection or pending task naming an undeclared event or slot."""
    cls = EventNotFoundError if kind == "event" else SlotNotFoundError
    return with_hint(
        cls(f"{kind.capitalize()} {name!r} not found in routine {routine_id!r}"),
        f"routine {routine_id!r} declares {', '.join(repr(n) for n in declared) or 'none'}; "
        f"declare it with {define}({name!r})",
    )


def unknown_event(routine_id: str, routine: Routine, event_name: str) -> EventNotFoundError:
    """The error for an emit of an undeclared event."""
    return with_hint(
        EventNotFoundError(f"Event {event_name!r} does not exist in {routine!r}"),
        f"routine {routine_id!r} ({type(routine).__name__}) declares "
        f"{sorted(routine.events) or 'no events'}; declare it with define_event({event_name!r})",
    )
