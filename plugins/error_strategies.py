"""The seed error strategies as plugins: ``stop``, ``continue``, ``retry``, ``skip``."""

from __future__ import annotations

from typing import Any

import routilux
from routilux.error_handling import ActivationFailure, ErrorAction, ErrorDecision, ErrorHandler


class StopPolicy:
    """Fail the job at once (the failed activation stays pending for a resume)."""

    def __init__(self, handler: ErrorHandler) -> None:
        self.handler = handler

    def decide(self, failure: ActivationFailure) -> ErrorDecision:
        return ErrorDecision(ErrorAction.FAIL_JOB)


class ContinuePolicy(StopPolicy):
    """Mark the routine ``error_continued`` and go on."""

    def decide(self, failure: ActivationFailure) -> ErrorDecision:
        return ErrorDecision(ErrorAction.CONTINUE)


class SkipPolicy(StopPolicy):
    """Mark the routine ``skipped`` and go on."""

    def decide(self, failure: ActivationFailure) -> ErrorDecision:
        return ErrorDecision(ErrorAction.SKIP)


class RetryPolicy(StopPolicy):
    """Run the activation again, up to ``max_retries`` times, with backoff.

    Only exceptions in ``retryable_exceptions`` are retried; others fail the
    job at once. When the retries are spent: a critical routine fails the job
    at once; otherwise the routine is marked failed, the job's other work
    drains, and the job ends failed.
    """

    def decide(self, failure: ActivationFailure) -> ErrorDecision:
        handler = self.handler
        if not isinstance(failure.error, handler.retryable_exceptions):
            return ErrorDecision(ErrorAction.FAIL_JOB, reason="exception is not retryable")
        if failure.attempt < handler.max_retries:
            return ErrorDecision(
                ErrorAction.RETRY, delay=handler.retry_delay_for(failure.attempt + 1)
            )
        reason = f"gave up after {handler.max_retries} retries"
        if handler.is_critical:
            return ErrorDecision(ErrorAction.FAIL_JOB, reason=reason)
        return ErrorDecision(ErrorAction.FAIL_ROUTINE, reason=reason)


@routilux.hookimpl
def routilux_error_strategies() -> dict[str, Any]:
    return {
        "stop": StopPolicy,
        "continue": ContinuePolicy,
        "retry": RetryPolicy,
        "skip": SkipPolicy,
    }
