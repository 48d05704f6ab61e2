"""What happens when a slot handler fails: the strategy's decision, its record, the log.

`decide` asks the routine's (else the flow's) error strategy; `apply_decision`
records the failure in the JobState (the handler's traceback as text, in
`JobState.traceback_of`, and in the records of a strict flow) and retries, continues, skips or stops the job; `log_failure` logs it with the
traceback. `LocalWork._finish` calls them for every failed activation.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from typing import TYPE_CHECKING, Any

from .error_handling import ActivationFailure, ErrorAction, ErrorDecision
from .errors import RoutiluxError
from .records import ERRORS, RoutineStatus
from .times import now_local

if TYPE_CHECKING:
    from .job_run import JobRun
    from .records import SlotActivation

#: Handler failures are logged on the activation's logger, as before they moved here
#: from activation.py (users filter on it).
log = logging.getLogger("routilux.activation")


#: routilux 0.10's strategies; it ignored all but STOP on a downstream handler's failure.
_SEED_STRATEGIES = frozenset({"stop", "continue", "skip", "retry"})
_TOLERATED_DOWNSTREAM = _SEED_STRATEGIES - {"stop"}


def zero_ten_rules(run: JobRun) -> bool:
    """Whether `run`'s flow handles failures as routilux 0.10 did (flows built in
    Python: `Flow.tolerate_downstream_errors`), records included."""
    return bool(getattr(run.flow, "tolerate_downstream_errors", False))


def _records_in_full(run: JobRun, routine_id: str) -> bool:
    """Whether a failure of `routine_id` is recorded in full (strict flows, and error
    strategies routilux 0.10 did not have) rather than in 0.10's shapes."""
    if not zero_ten_rules(run):
        return True
    routine = run.flow.get_routine(routine_id)
    handler = (
        routine.get_error_handler() if routine is not None else None
    ) or run.flow.error_handler
    return handler is not None and handler.strategy_name not in _SEED_STRATEGIES


def zero_ten_type_name(error: BaseException) -> str:
    """The ``error_type`` a 0.10-shaped record gives `error`: its class name, but for
    routilux's own errors the built-in class routilux 0.10 raised in their place (the
    first one they derive from: ``ValueError`` for an entry without a trigger)."""
    if not isinstance(error, RoutiluxError):
        return type(error).__name__
    for cls in type(error).__mro__:
        if cls.__module__ == "builtins" and cls not in (Exception, BaseException, object):
            return cls.__name__
    return type(error).__name__


def decide(run: JobRun, activation: SlotActivation, error: BaseException) -> ErrorDecision:
    """What the routine's (else the flow's) error strategy does with `error`.

    In a flow with `Flow.tolerate_downstream_errors` (flows built in Python, as in
    routilux 0.10), an `Exception` raised by a handler other than the entry
    routine's ``trigger`` is tolerated unless the routine's own error handler (the
    flow's covers the entry only) says STOP, which marks the routine failed while
    the rest of the job runs on (the job then ends failed); its continue, skip and
    retry change nothing, as in 0.10, while strategies from plugins apply.
    SystemExit, KeyboardInterrupt and the like always reach a strategy.
    """
    routine = run.flow.get_routine(activation.routine_id)
    own = routine.get_error_handler() if routine is not None else None
    downstream = (
        zero_ten_rules(run)
        and isinstance(error, Exception)
        and not (activation.routine_id == run.entry_id and activation.slot_name == "trigger")
    )
    handler = own if downstream else (own or run.flow.error_handler)
    if handler is None:
        if downstream:
            return ErrorDecision(ErrorAction.TOLERATE, reason="tolerated (no error handler)")
        return ErrorDecision(ErrorAction.FAIL_JOB, reason="no error handler (STOP)")
    if downstream and handler.strategy_name in _TOLERATED_DOWNSTREAM:
        # 0.10 called downstream handlers outside its error strategies: only STOP
        # (and strategies 0.10 never had) acted on them
        return ErrorDecision(ErrorAction.TOLERATE, reason=f"tolerated ({handler.strategy_name})")
    failure = ActivationFailure(
        activation.routine_id, activation.slot_name, error, activation.attempt, run.job_state
    )
    try:
        decision = handler.decide(failure)
    except Exception as exc:  # a broken strategy plugin fails the job, visibly
        return ErrorDecision(
            ErrorAction.FAIL_JOB, reason=f"error strategy {handler.strategy_name!r} raised {exc!r}"
        )
    if decision.action is ErrorAction.RETRY:
        handler.note_retry()  # routilux 0.10's ErrorHandler.retry_count
    elif downstream and decision.action is ErrorAction.FAIL_JOB and handler.strategy_name == "stop":
        return ErrorDecision(ErrorAction.FAIL_ROUTINE, decision.delay, decision.reason)
    return decision


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
#: Built-in routines are plugins like any other: their frames are kept. (Installed,
#: they live under the package directory; in a checkout, beside it.)
_PLUGINS_DIR = os.path.join(_PACKAGE_DIR, "plugins") + os.sep


def _engine_frame(filename: str) -> bool:
    return filename.startswith(_PACKAGE_DIR) and not filename.startswith(_PLUGINS_DIR)


#: Tracebacks longer than this keep their end (the frames nearest the error).
MAX_TRACEBACK_CHARS = 8000


def traceback_text(error: BaseException) -> str:
    """The traceback of a handler's `error` as text, from the handler's frames on.

    Routilux's own frames before the first frame of user code are left out (they
    are the same for every handler); what is left says which file and line
    raised. A remote handler's traceback comes with its `RemoteHandlerError`.
    """
    remote = getattr(error, "remote_traceback", "")
    if isinstance(remote, str) and remote:
        text = remote
    else:
        frames = traceback.extract_tb(error.__traceback__)
        start = 0
        while start < len(frames) and _engine_frame(frames[start].filename):
            start += 1
        lines = traceback.format_list(frames[start:])
        if lines:
            lines.insert(0, "Traceback (most recent call last):\n")
        lines.extend(traceback.format_exception_only(type(error), error))
        text = "".join(lines)
    if len(text) > MAX_TRACEBACK_CHARS:
        text = "...\n" + text[-MAX_TRACEBACK_CHARS:]
    return text


def log_failure(
    run: JobRun,
    activation: SlotActivation,
    error: BaseException,
    decision: ErrorDecision,
    trace: str,
) -> None:
    """Log a handler's failure with its traceback (a warning if it failed the routine or job)."""
    action = decision.action
    level = (
        logging.WARNING
        if action in (ErrorAction.FAIL_JOB, ErrorAction.FAIL_ROUTINE, ErrorAction.TOLERATE)
        else logging.INFO
    )
    if log.isEnabledFor(level):
        log.log(
            level,
            "handler of %s.%s in job %s raised %s: %s (%s, attempt %d)\n%s",
            activation.routine_id,
            activation.slot_name,
            run.job_state.job_id,
            type(error).__name__,
            error,
            action.name.lower(),
            activation.attempt,
            trace.rstrip(),
            extra={"traceback": trace.rstrip()},
        )


def apply_decision(
    run: JobRun,
    activation: SlotActivation,
    error: BaseException,
    decision: ErrorDecision,
    trace: str = "",
    queue_retry: bool = True,
) -> None:
    """Record a failure and act on the decision (lock held). A retry is queued unless
    `queue_retry` is False (then the caller queues it with `JobRun.schedule_retry`).

    Under 0.10's rules (`zero_ten_rules`) the records and routine states have
    0.10's keys and 0.10's records only (no ``retry``/``skipped`` record; the
    traceback goes to the log and `JobState.traceback_of`); a strict flow records
    every step with the error's type, attempt and traceback.
    """
    job_state = run.job_state
    routine_id = activation.routine_id
    error_text = str(error)
    entry = routine_id == run.entry_id and activation.slot_name == "trigger"
    full = _records_in_full(run, routine_id)
    info: dict[str, Any]
    if full:
        info = {
            "slot": activation.slot_name,
            "error": error_text,
            "error_type": type(error).__name__,
            "attempt": activation.attempt,
            "traceback": trace,
        }
        if decision.reason:
            info["reason"] = decision.reason
        details: dict[str, Any] = {"error": error_text, "traceback": trace}
    else:  # 0.10: the entry's records name the type; a downstream one, the slot
        info = (
            {"error": error_text, "error_type": zero_ten_type_name(error)}
            if entry
            else {"slot": activation.slot_name, "error": error_text}
        )
        details = {"error": error_text}
    job_state.add_count(routine_id, ERRORS)
    if trace:
        job_state.set_traceback(routine_id, trace)
    action = decision.action
    if action is ErrorAction.RETRY:
        activation.attempt += 1
        if full:
            info["delay"] = decision.delay
            job_state.append_record(routine_id, "retry", info)
        job_state.journal_pending(activation)
        if queue_retry:
            run.schedule_retry(activation, decision.delay)
        return
    if action is ErrorAction.TOLERATE:  # 0.10's record; the traceback goes to the log
        job_state.drop_pending(activation)
        job_state.append_record(
            routine_id, "error", {"slot": activation.slot_name, "error": error_text}
        )
    elif action is ErrorAction.CONTINUE:
        job_state.drop_pending(activation)
        job_state.set_routine_status(routine_id, RoutineStatus.ERROR_CONTINUED, **details)
        job_state.append_record(routine_id, "error_continued", info)
    elif action is ErrorAction.SKIP:
        job_state.drop_pending(activation)
        job_state.set_routine_status(routine_id, RoutineStatus.SKIPPED, **details)
        if full:
            job_state.append_record(routine_id, "skipped", info)
    else:
        if entry:  # routilux 0.10 kept the time in that state
            details["error_time"] = now_local().isoformat()
        job_state.set_routine_status(routine_id, RoutineStatus.FAILED, **details)
        job_state.append_record(routine_id, "error", info)
        if action is ErrorAction.FAIL_ROUTINE:
            job_state.drop_pending(activation)
            return
        # FAIL_JOB: the activation stays pending so that a resume can run it again
        run.fail(error_text)


def record_over_limit(run: JobRun) -> str:
    """Record that the job ran more activations than its limit (lock held); returns
    the message the job fails with (the scheduler stops it).

    The message names the limit and the busiest routines (a cycle that
    never ends shows up there); the failure is recorded on the busiest one.
    Its queued activations stay pending, so a resume can go on.
    """
    busiest = sorted(run.counts().items(), key=lambda item: -item[1])[:3]
    named = ", ".join(f"{rid} ({count:,})" for rid, count in busiest)
    message = (
        f"job {run.job_state.job_id} stopped after {run.started:,} activations, the "
        f"limit max_activations={run.max_activations:,}; busiest routines: {named}. "
        "A loop that never ends? Otherwise raise max_activations (a Flow option and "
        "spec key; None for no limit)"
    )
    if busiest:
        routine_id = busiest[0][0]
        run.job_state.set_routine_status(routine_id, RoutineStatus.FAILED, error=message)
        run.job_state.append_record(
            routine_id,
            "error",
            {
                "error": message,
                "error_type": "ActivationLimitExceeded",
                "limit": run.max_activations,
                "busiest": dict(busiest),
            },
        )
    log.warning("%s", message)
    return message


def is_interrupt(exc: BaseException) -> bool:
    """Whether `exc` must propagate instead of failing the activation.

    Only a KeyboardInterrupt in the main thread does (that is where Ctrl-C is
    delivered, e.g. while `Flow.run` drives a sequential job): anything else a
    handler raises, `SystemExit` and `GeneratorExit` included, is its failure
    and goes to its error strategy, so no worker thread dies of it.
    """
    return (
        isinstance(exc, KeyboardInterrupt) and threading.current_thread() is threading.main_thread()
    )
