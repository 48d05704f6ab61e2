"""Error handlers: what happens when a slot handler raises.

An `ErrorHandler` names a strategy and carries its options. The behaviour of
each strategy is a plugin (``routilux_error_strategies``): a factory that takes
the ErrorHandler and returns an `ErrorPolicy`, whose `decide` turns one
`ActivationFailure` into an `ErrorDecision`. The four seed strategies (stop,
continue, retry, skip) are built-in plugins registered the same way a third
party registers e.g. a circuit breaker.

Resolution order for a routine: its own handler, else the flow's, else STOP.
"""

from __future__ import annotations

import builtins
import enum
import math
import random
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from .errors import FlowError, FlowSpecError, PluginError, UsageError, describe
from .records import recorded_by_str

if TYPE_CHECKING:
    from .job_state import JobState
    from .spec_model import ErrorHandlerSpec


class ErrorStrategy(enum.Enum):
    """The seed strategies. Plugins may register more names.

    A plain Enum, as in routilux 0.10: ``ErrorStrategy.RETRY == "retry"`` is False
    (compare with the member, its ``.value``, or `ErrorHandler.strategy_name`).
    Wherever a strategy is given (``ErrorHandler(strategy=...)``, specs, plugins),
    the member and its name as a str are both accepted.
    """

    STOP = "stop"
    CONTINUE = "continue"
    RETRY = "retry"
    SKIP = "skip"


class ErrorAction(str, enum.Enum):
    """What the scheduler does with a failed activation."""

    #: The job fails: nothing new starts, the failed activation is kept pending.
    FAIL_JOB = "fail_job"
    #: The routine is marked ``failed``; other work drains, then the job fails.
    FAIL_ROUTINE = "fail_routine"
    #: The routine is marked ``error_continued``; the job goes on.
    CONTINUE = "continue"
    #: The routine is marked ``skipped``; the job goes on.
    SKIP = "skip"
    #: The same activation runs again after `ErrorDecision.delay` seconds.
    RETRY = "retry"
    #: routilux 0.10's downstream rule: an ``error`` record, the routine's state
    #: untouched; the job goes on (see `Flow.tolerate_downstream_errors`).
    TOLERATE = "tolerate"


@attrs.frozen
class ErrorDecision:
    """The verdict of an `ErrorPolicy` on one failure."""

    action: ErrorAction
    delay: float = 0.0
    reason: str = ""


@attrs.frozen
class ActivationFailure:
    """One failed handler call, as shown to an `ErrorPolicy`.

    `attempt` counts earlier runs of this activation (0 on the first failure).
    """

    routine_id: str
    slot: str
    error: BaseException
    attempt: int
    job_state: JobState


class ErrorPolicy(Protocol):
    """Decides what to do with a failure. Built by a strategy plugin's factory."""

    def decide(self, failure: ActivationFailure) -> ErrorDecision:
        """Return the decision for `failure` (called in the worker thread)."""


def _exception_key(cls: type) -> str:
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}:{cls.__qualname__}"


def resolve_exception(key: str) -> type[BaseException]:
    """Find an exception class by the key `_exception_key` wrote, without importing.

    Builtins are found by name; other classes only if their module is already
    imported. Anything else is a `FlowSpecError`: data never imports code.
    """
    module_name, _, qualname = key.rpartition(":")
    if not module_name:
        found = getattr(builtins, key, None)
    else:
        module = sys.modules.get(module_name)
        found = module
        for part in qualname.split("."):
            if found is None or not part.isidentifier():
                found = None
                break
            found = getattr(found, part, None)
    if not (isinstance(found, type) and issubclass(found, BaseException)):
        raise FlowSpecError(
            f"unknown exception class {key!r} in retryable_exceptions; "
            "import the module that defines it before loading the flow"
        )
    return found


#: Guards every handler's `retry_count` (a module lock keeps handlers picklable).
_COUNT_LOCK = threading.Lock()


def _strategy_name(strategy: str | enum.Enum) -> str:
    return str(strategy.value) if isinstance(strategy, enum.Enum) else str(strategy)


def _exception_tuple(value: Any) -> tuple[type[BaseException], ...]:
    return tuple(value) if value else (Exception,)


@recorded_by_str
@attrs.define(eq=False, repr=False, on_setattr=attrs.setters.NO_OP)
class ErrorHandler:
    """How a routine's (or a flow's) errors are handled.

    ``ErrorHandler(strategy="retry", max_retries=3, retry_delay=1.0,
    retry_backoff=2.0, retryable_exceptions=(ConnectionError,), is_critical=True)``.
    `timeout` bounds each handler call of the routines it covers (seconds).
    `options` carries settings of plugin strategies. The retry delay before run
    n+1 is ``retry_delay * retry_backoff ** (n - 1)``, capped at `max_delay`
    (seconds, None for no cap), then spread by `jitter` (a fraction from 0 to 1:
    the delay is multiplied by a random factor between ``1 - jitter`` and
    ``1 + jitter``, and stays within `max_delay`), so that many jobs failing
    together do not all retry at the same instant.

    It prints as a plain object, ``<routilux.error_handler.ErrorHandler object at
    0x...>``, as in routilux 0.10 (whose module path `routilux.error_handler` is an
    alias of this module).
    """

    _strategy: str = attrs.field(default="stop", converter=_strategy_name)
    max_retries: int = 3
    retry_delay: float = 1.0
    retry_backoff: float = 2.0
    retryable_exceptions: tuple[type[BaseException], ...] = attrs.field(
        default=(Exception,), converter=_exception_tuple
    )
    is_critical: bool = False
    timeout: float | None = None
    options: dict[str, Any] = attrs.field(factory=dict)
    jitter: float = 0.0
    max_delay: float | None = None
    #: Retries this handler has ordered so far, over every job it covers (routilux
    #: 0.10's counter; `reset` zeroes it). Informational: each activation's own
    #: attempt count decides whether it is retried again.
    retry_count: int = attrs.field(default=0, init=False)
    _policy: ErrorPolicy | None = attrs.field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        self._check_numbers()
        if not (isinstance(self.jitter, (int, float)) and 0 <= self.jitter <= 1):
            raise FlowError(
                f"ErrorHandler jitter must be a number from 0 to 1, not {self.jitter!r}"
            )
        if self.max_delay is not None and not (
            isinstance(self.max_delay, (int, float)) and self.max_delay >= 0
        ):
            raise FlowError(
                f"ErrorHandler max_delay must be a number of seconds >= 0 or None, not "
                f"{self.max_delay!r}"
            )
        # An unknown strategy fails here, naming the closest registered ones,
        # rather than at the first handler error.
        self._policy = self.policy

    def _check_numbers(self) -> None:
        """Counts and seconds a retry timer can use: an infinite or negative delay,
        or a NaN, would otherwise crash the retry's timer and leave its job running."""
        retries = self.max_retries
        if type(retries) is not int or retries < 0:
            raise FlowError(f"ErrorHandler max_retries must be an int >= 0, not {retries!r}")
        for name in ("retry_delay", "retry_backoff"):
            value = getattr(self, name)
            if type(value) not in (int, float) or not 0 <= value < math.inf:
                raise FlowError(f"ErrorHandler {name} must be a finite number >= 0, not {value!r}")
        timeout = self.timeout
        if timeout is not None and (
            type(timeout) not in (int, float) or not 0 < timeout < math.inf
        ):
            raise FlowError(
                f"ErrorHandler timeout must be a positive number of seconds or None, "
                f"not {timeout!r}"
            )

    @property
    def strategy(self) -> ErrorStrategy | str:
        """An `ErrorStrategy` member for the seed strategies (as in 0.10), else the
        plugin strategy's name; `strategy_name` is always the name."""
        try:
            return ErrorStrategy(self._strategy)
        except ValueError:
            return self._strategy

    @property
    def strategy_name(self) -> str:
        """The strategy's registered name, a plain str (what messages and specs show)."""
        return self._strategy

    @property
    def policy(self) -> ErrorPolicy:
        """The strategy plugin's policy for this handler (built on first use)."""
        if self._policy is None:
            from .registry import get_error_strategy

            self._policy = get_error_strategy(self._strategy)(self)
        return self._policy

    def decide(self, failure: ActivationFailure) -> ErrorDecision:
        """Ask the strategy what to do with `failure`."""
        return self.policy.decide(failure)

    def note_retry(self) -> None:
        """Count one retry ordered by this handler (any thread)."""
        with _COUNT_LOCK:
            self.retry_count += 1

    def handle_error(
        self,
        error: BaseException,
        routine: Any,
        routine_id: str,
        flow: Any = None,
        job_state: JobState | None = None,
        context: dict[str, Any] | None = None,
    ) -> bool:
        """routilux 0.10's direct call: apply this handler to one `error`, by hand.

        Returns whether execution should go on: ``stop`` False; ``continue`` True
        (recording ``error_continued`` in `job_state`, if given); ``skip`` True
        (marking the routine ``skipped`` there); ``retry`` True while retries are
        left (counting one and sleeping its delay), False for an exception that is
        not retryable, and once they are spent True unless `is_critical`. Any
        other strategy: False. Flows never call it; their jobs ask `decide`.
        """
        strategy = self._strategy
        if strategy == "continue":
            if job_state is not None:
                job_state.record_execution(
                    routine_id,
                    "error_continued",
                    {"error": str(error), "error_type": type(error).__name__},
                )
            return True
        if strategy == "skip":
            if job_state is not None:
                job_state.update_routine_state(
                    routine_id, {"status": "skipped", "error": str(error)}
                )
            return True
        if strategy != "retry" or not isinstance(error, self.retryable_exceptions):
            return False
        with _COUNT_LOCK:
            left = self.retry_count < self.max_retries
            if left:
                self.retry_count += 1
                attempt = self.retry_count
        if not left:
            return not self.is_critical
        time.sleep(self.retry_delay_for(attempt))
        return True

    def reset(self) -> None:
        """Set `retry_count` back to 0."""
        with _COUNT_LOCK:
            self.retry_count = 0

    def retry_delay_for(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1-based): backoff, cap, then jitter."""
        try:
            delay = float(self.retry_delay) * float(self.retry_backoff) ** max(attempt - 1, 0)
        except OverflowError:  # a long run of retries with backoff: wait as long as can be
            delay = math.inf
        if self.max_delay is not None:
            delay = min(delay, float(self.max_delay))
        if self.jitter:
            delay *= 1 + self.jitter * (2 * random.random() - 1)
            if self.max_delay is not None:
                delay = min(delay, float(self.max_delay))
        return min(delay, threading.TIMEOUT_MAX)  # a longer wait crashes the retry timer

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible settings (exception classes by key)."""
        data: dict[str, Any] = {"strategy": self._strategy}
        for name, default in _SETTING_DEFAULTS.items():
            value = getattr(self, name)
            if value != default:
                data[name] = value
        if self.retryable_exceptions != (Exception,):
            data["retryable_exceptions"] = [_exception_key(c) for c in self.retryable_exceptions]
        if self.options:
            data["options"] = dict(self.options)
        return data

    def serialize(self) -> dict[str, Any]:
        """routilux 0.10's form: ``_type``, ``strategy``, ``max_retries``, ``retry_delay``,
        ``retry_backoff``, ``retry_count``, ``is_critical`` (plus ``timeout`` and
        ``options``, which 0.10 lacked, when they are not the defaults).

        Like 0.10's, it leaves out ``retryable_exceptions``: `saved_form` keeps them
        too, and is what a flow's and a routine's ``serialize()`` store.
        """
        data: dict[str, Any] = {
            "_type": "ErrorHandler",
            "strategy": self._strategy,
            "max_retries": self.max_retries,
            "retry_delay": self.retry_delay,
            "retry_backoff": self.retry_backoff,
            "retry_count": self.retry_count,
            "is_critical": self.is_critical,
        }
        extra = self.to_dict()
        for key in ("timeout", "options"):
            if key in extra:
                data[key] = extra[key]
        return data

    def saved_form(self) -> dict[str, Any]:
        """`serialize` plus ``retryable_exceptions`` (by key) when they are not the
        default: what a saved flow needs to retry the same errors after loading
        (`deserialize` reads both forms)."""
        data = self.serialize()
        if self.retryable_exceptions != (Exception,):
            data["retryable_exceptions"] = [_exception_key(c) for c in self.retryable_exceptions]
        return data

    def deserialize(self, data: dict[str, Any], registry: Any = None) -> ErrorHandler:
        """Take the settings of `serialize` output (0.10's too); returns self.

        `registry` is accepted for routilux 0.10 and ignored: nothing named by
        data is imported (exception classes must already be imported).
        """
        if not isinstance(data, dict):
            raise FlowSpecError(
                [("error_handler", f"must be a mapping, not {type(data).__name__}")]
            )
        settings = {k: v for k, v in data.items() if k not in ("_type", "retry_count")}
        other = ErrorHandler.from_dict(settings)
        for field in attrs.fields(ErrorHandler):
            if field.init:
                setattr(self, field.name, getattr(other, field.name))
        # another ErrorHandler (this class): keep the policy it built, not a new one
        self._policy = other._policy  # noqa: SLF001
        count = data.get("retry_count", 0)
        self.retry_count = count if isinstance(count, int) and not isinstance(count, bool) else 0
        return self

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str = "error_handler") -> ErrorHandler:
        """Rebuild from `to_dict` output (or a spec entry); errors name `path`."""
        from .spec_converter import structure
        from .spec_model import ErrorHandlerSpec

        strategy = data.get("strategy") if isinstance(data, dict) else None
        if isinstance(strategy, enum.Enum):  # ErrorStrategy.RETRY as well as "retry"
            data = {**data, "strategy": str(strategy.value)}

        return handler_from_spec(structure(data, ErrorHandlerSpec, path), path, cls)


# 0.10's module path: the default repr (and pickle) name it; it imports this module
ErrorHandler.__module__ = "routilux.error_handler"


def check_error_handler(value: Any, where: str) -> ErrorHandler | None:
    """`value` if it is an `ErrorHandler` or None; else `UsageError` naming `where`.

    Anything else would be kept until the first handler error, where the job
    could not decide what to do with it.
    """
    if value is None or isinstance(value, ErrorHandler):
        return value
    raise UsageError(
        f"{where}: error_handler must be an ErrorHandler or None, not "
        f"{type(value).__name__} {describe(value)}; build one with "
        "ErrorHandler(strategy=...) or ErrorHandler.from_dict({...})"
    )


def handler_from_spec(
    spec: ErrorHandlerSpec, path: str = "error_handler", cls: type[ErrorHandler] | None = None
) -> ErrorHandler:
    """The handler an ``error_handler`` spec entry describes; errors name `path`.

    Exception classes are found among the modules already imported, never imported.
    """
    settings = attrs.asdict(spec, recurse=False)
    if spec.retryable_exceptions is None:
        del settings["retryable_exceptions"]
    else:
        try:
            settings["retryable_exceptions"] = tuple(
                resolve_exception(k) for k in spec.retryable_exceptions
            )
        except FlowSpecError as exc:
            where = f"{path}.retryable_exceptions"
            raise FlowSpecError([(where, message) for _, message in exc.problems]) from None
    try:
        return (cls or ErrorHandler)(**settings)
    except FlowError as exc:
        raise FlowSpecError([(path, str(exc))]) from None
    except PluginError as exc:
        raise FlowSpecError([(f"{path}.strategy", str(exc))]) from None


#: The settings `to_dict` writes only when they differ from these defaults (read
#: from the class, not from a default ErrorHandler, whose init asks the registry
#: for its strategy).
_SETTING_DEFAULTS: dict[str, Any] = {
    field.name: field.default
    for field in attrs.fields(ErrorHandler)
    if field.name
    in (
        "max_retries",
        "retry_delay",
        "retry_backoff",
        "is_critical",
        "timeout",
        "jitter",
        "max_delay",
    )
}
