"""``ErrorHandler.handle_error(error, routine, routine_id, flow, job_state=None)``: routilux
0.10's way to apply a handler to one error by hand; it answers whether to go on."""

from __future__ import annotations

import pytest

from routilux import ErrorHandler, JobState, Routine


def test_stop_continue_and_skip_answer_and_record_in_the_job():
    job = JobState("by_hand")
    routine = Routine()
    answers = [
        ErrorHandler(strategy=name).handle_error(KeyError("k"), routine, "r", None, job_state=job)
        for name in ("stop", "continue", "skip")
    ]
    assert answers == [False, True, True]
    assert [(r.event_name, r.data) for r in job.execution_history] == [
        ("error_continued", {"error": "'k'", "error_type": "KeyError"})
    ]
    assert job.get_routine_state("r") == {"status": "skipped", "error": "'k'"}


def test_retry_counts_until_spent_then_answers_by_is_critical():
    routine = Routine()
    lenient = ErrorHandler(strategy="retry", max_retries=2, retry_delay=0)
    assert [lenient.handle_error(ValueError(), routine, "r", None) for _ in range(3)] == [
        True,
        True,
        True,  # spent, but not critical: go on
    ]
    assert lenient.retry_count == 2
    critical = ErrorHandler(strategy="retry", max_retries=1, retry_delay=0, is_critical=True)
    assert [critical.handle_error(ValueError(), routine, "r", None) for _ in range(2)] == [
        True,
        False,
    ]
    picky = ErrorHandler(strategy="retry", retryable_exceptions=(KeyError,), retry_delay=0)
    assert picky.handle_error(ValueError(), routine, "r", None) is False
    assert picky.retry_count == 0


def test_an_unknown_strategy_is_a_value_error_as_in_0_10():
    with pytest.raises(ValueError, match="unknown error strategy 'explode'"):
        ErrorHandler(strategy="explode")
