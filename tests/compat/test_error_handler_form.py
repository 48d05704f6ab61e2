"""How an `ErrorHandler` prints and serializes, as 0.10 programs see it.

0.10 printed a handler as a plain object of `routilux.error_handler` and left
``retryable_exceptions`` out of ``serialize()``. A saved flow must still retry
the same exceptions after loading, so flows and routines store them beside 0.10's
keys.
"""

from __future__ import annotations

import json
import pickle
import re

from routilux import ErrorHandler, ErrorStrategy, Flow, Routine
from routilux.error_handler import ErrorHandler as ErrorHandlerAt010Path


class Fetch(Routine):
    def __init__(self) -> None:
        super().__init__()
        self.define_slot("trigger", handler=self.go)

    def go(self) -> None:
        pass


def test_it_prints_as_a_plain_object_of_0_10s_module():
    handler = ErrorHandler("retry", max_retries=5)
    assert re.fullmatch(
        r"<routilux\.error_handler\.ErrorHandler object at 0x[0-9a-f]+>", repr(handler)
    )
    assert str(handler) == repr(handler)
    assert ErrorHandlerAt010Path is ErrorHandler
    copy = pickle.loads(pickle.dumps(handler))
    assert (copy.strategy_name, copy.max_retries) == ("retry", 5)


def test_serialize_leaves_out_retryable_exceptions_as_0_10_did():
    handler = ErrorHandler("retry", retryable_exceptions=(ValueError,))
    data = handler.serialize()
    assert sorted(data) == [
        "_type",
        "is_critical",
        "max_retries",
        "retry_backoff",
        "retry_count",
        "retry_delay",
        "strategy",
    ]
    again = ErrorHandler().deserialize(json.loads(json.dumps(data)))
    assert again.strategy_name == "retry" and again.retryable_exceptions == (Exception,)


def test_a_saved_flow_and_routine_keep_the_retryable_exceptions(make_flow):
    flow = make_flow(flow_id="keeps")
    fetch = Fetch()
    fetch.set_error_handler(ErrorHandler("retry", retryable_exceptions=(ConnectionError,)))
    flow.add_routine(fetch, "fetch")
    flow.set_error_handler(ErrorHandler("retry", retryable_exceptions=(KeyError, ValueError)))
    loaded = Flow().deserialize(json.loads(json.dumps(flow.serialize())))
    assert loaded.error_handler.retryable_exceptions == (KeyError, ValueError)
    handler = loaded.get_routine("fetch").get_error_handler()
    assert handler.retryable_exceptions == (ConnectionError,)
    routine = Routine()
    routine.deserialize(json.loads(json.dumps(fetch.serialize())))
    assert routine.get_error_handler().retryable_exceptions == (ConnectionError,)


def test_error_strategy_is_a_plain_enum_as_in_0_10():
    assert ErrorStrategy.RETRY != "retry"
    assert not isinstance(ErrorStrategy.STOP, str)
    assert f"{ErrorStrategy.SKIP}" == "ErrorStrategy.SKIP"
    assert ErrorStrategy("skip") is ErrorStrategy.SKIP
    handler = ErrorHandler(strategy="retry")
    assert handler.strategy is ErrorStrategy.RETRY and handler.strategy != "retry"
    assert handler.strategy.value == handler.strategy_name == "retry"


def test_strategies_are_accepted_as_members_or_names(make_flow):
    for given in (ErrorStrategy.SKIP, "skip"):
        assert ErrorHandler(strategy=given).strategy is ErrorStrategy.SKIP
        assert ErrorHandler.from_dict({"strategy": given}).strategy is ErrorStrategy.SKIP
        assert ErrorHandler().deserialize({"strategy": given}).strategy is ErrorStrategy.SKIP
    routine = Fetch()
    routine.set_as_optional(ErrorStrategy.SKIP)
    assert routine.get_error_handler().strategy_name == "skip"
    flow = make_flow(flow_id="spec")
    flow.add_routine(Fetch(), "fetch", error_handler=ErrorHandler(ErrorStrategy.CONTINUE))
    spec = flow.to_spec()
    assert spec["routines"]["fetch"]["error_handler"]["strategy"] == "continue"
    assert Flow.from_spec(spec).get_routine("fetch").get_error_handler().strategy_name == (
        "continue"
    )
