"""ErrorHandler settings a retry timer cannot use are refused where they are given."""

from __future__ import annotations

import math
import threading

import pytest

from routilux import ErrorHandler, Flow, FlowError, FlowSpecError


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("retry_delay", math.inf, "retry_delay must be a finite number >= 0, not inf"),
        ("retry_delay", math.nan, "retry_delay must be a finite number >= 0, not nan"),
        ("retry_delay", -5, "retry_delay must be a finite number >= 0, not -5"),
        ("retry_backoff", math.inf, "retry_backoff must be a finite number >= 0, not inf"),
        ("max_retries", -1, "max_retries must be an int >= 0, not -1"),
        ("max_retries", True, "max_retries must be an int >= 0, not True"),
        ("timeout", -1, "timeout must be a positive number of seconds or None, not -1"),
        ("timeout", 0, "timeout must be a positive number of seconds or None, not 0"),
        ("timeout", math.nan, "timeout must be a positive number of seconds or None, not nan"),
    ],
)
def test_unusable_numbers_are_refused(setting, value, message):
    with pytest.raises(FlowError, match=message):
        ErrorHandler("retry", **{setting: value})


def test_a_spec_with_an_infinite_retry_delay_names_its_path():
    # before: the job's retry timer thread died with OverflowError and the job
    # stayed "running" for ever
    spec = {
        "flow_id": "f",
        "routines": {
            "a": {
                "type": "text.clip",
                "error_handler": {"strategy": "retry", "retry_delay": math.inf},
            }
        },
    }
    with pytest.raises(FlowSpecError) as info:
        Flow.from_spec(spec)
    assert info.value.problems == [
        (
            "routines.a.error_handler",
            "ErrorHandler retry_delay must be a finite number >= 0, not inf",
        )
    ]


def test_a_long_run_of_retries_waits_at_most_what_a_timer_can():
    # 2.0 ** 5000 overflows a float; 10.0 ** 300 is past any timer's reach
    steep = ErrorHandler("retry", max_retries=10_000, retry_delay=1, retry_backoff=2)
    assert steep.retry_delay_for(5000) == threading.TIMEOUT_MAX
    huge = ErrorHandler("retry", max_retries=10_000, retry_delay=1, retry_backoff=10)
    assert huge.retry_delay_for(301) == threading.TIMEOUT_MAX
    assert steep.retry_delay_for(3) == 4.0  # ordinary delays are unchanged


def test_an_error_handler_that_is_not_one_is_refused_where_it_is_given():
    # before: accepted, then the first handler error hit
    # "AttributeError: 'dict' object has no attribute 'strategy_name'" inside the engine
    from routilux import UsageError

    flow = Flow(flow_id="f")
    with pytest.raises(UsageError, match=r"add_routine\('c'\): error_handler must be an Err"):
        flow.add_routine("text.clip", "c", error_handler={"strategy": "retry"})
    assert "c" not in flow.routines  # nothing half-added
    with pytest.raises(UsageError, match=r"Flow.set_error_handler\(\): .* not str 'continue'"):
        flow.set_error_handler("continue")
    with pytest.raises(UsageError, match=r"Flow\(\): error_handler must be"):
        Flow(error_handler=5)
    flow.add_routine("text.clip", "d")
    with pytest.raises(UsageError, match=r"Clip.set_error_handler\(\): .*ErrorHandler.from_dict"):
        flow.get_routine("d").set_error_handler({"strategy": "retry"})
    flow.set_error_handler(None)  # None still clears it
